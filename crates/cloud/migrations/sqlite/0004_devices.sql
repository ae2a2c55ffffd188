-- The account's simulated Hikvision devices and their camera channels.
CREATE TABLE devices (
    id                INTEGER PRIMARY KEY,
    user_id           INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    serial            TEXT NOT NULL UNIQUE,
    full_serial       TEXT NOT NULL,
    name              TEXT NOT NULL,
    device_type       TEXT NOT NULL,
    category          TEXT NOT NULL CHECK (category IN ('IPC', 'NVR', 'DVR')),
    version           TEXT NOT NULL,
    online            INTEGER NOT NULL,
    upgrade_available INTEGER NOT NULL DEFAULT 0,
    local_ip          TEXT NOT NULL,
    net_ip            TEXT NOT NULL,
    wifi_address      TEXT,
    wifi_signal       INTEGER
);
CREATE INDEX devices_by_user ON devices (user_id, id);
CREATE TABLE cameras (
    id            INTEGER PRIMARY KEY,
    device_id     INTEGER NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
    channel_no    INTEGER NOT NULL,
    name          TEXT NOT NULL,
    is_show       INTEGER NOT NULL,
    signal_status INTEGER NOT NULL,
    UNIQUE (device_id, channel_no)
);
