"""Page objects and helpers for driving the Hik-Connect simulator's desktop
app through WebDriver, inside `scripts/webdriver-session`."""
