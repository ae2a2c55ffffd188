"""Page objects and helpers for driving the Hik-Connect simulator's desktop
app through WebDriver, inside `scripts/webdriver-session`."""

# How long a wait for the window or the cloud lasts, in seconds.
WAIT = 20
