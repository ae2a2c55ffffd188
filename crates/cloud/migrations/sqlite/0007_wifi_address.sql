-- A device's Wi-Fi address is its IP address on the Wi-Fi network (what the
-- public clients read as the local IP), not a MAC address.
UPDATE devices SET wifi_address = local_ip WHERE wifi_address IS NOT NULL;
