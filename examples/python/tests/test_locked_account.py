import re

from hik.pages import Login, Verify

NEW_PASSWORD = "New-Horse-42"


def test_a_locked_account_is_unlocked_by_a_password_reset(open_app, qa):
    # Ten wrong passwords, in one step: the account is locked for 20 minutes.
    locked = qa.scenario("account-locked")
    account = locked["account"]
    driver, _ = open_app()

    login = Login(driver)
    login.log_in(account, locked["password"])
    assert re.fullmatch(r"(19:[0-5]\d|20:00)", login.lock_countdown())

    forgot = login.reset_password_from_lock()
    forgot.send_code()
    login = forgot.reset(qa.code(account, "RETRIEVE_PASSWORD"), NEW_PASSWORD)
    assert "reset" in login.text("login-notice")

    # Unlocked: the new password is taken (this computer is new to the
    # account, so its code is asked next).
    login.log_in(account, NEW_PASSWORD)
    verify = Verify(driver)
    verify.send_code()
    home = verify.verify(qa.code(account, "TERMINAL_BIND"))
    assert home.user() == account
