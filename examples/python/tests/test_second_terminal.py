import uuid

from hik.pages import Login, Verify

PASSWORD = "Horse-Battery-42"


def test_a_second_terminal_enters_the_code_sent_to_the_account(open_app, qa):
    email = f"ben-{uuid.uuid4().hex[:6]}@example.com"
    driver, _ = open_app()
    sign_up = Login(driver).go_to_sign_up()
    sign_up.send_code_to_email(email)
    sign_up.create_account(qa.code(email, "USER_REGISTRATION"), PASSWORD)

    # Another computer: its own data folder and keyring namespace.
    driver, _ = open_app()
    Login(driver).log_in(email, PASSWORD)
    verify = Verify(driver)
    verify.send_code()
    assert email.split("@")[1] in verify.text("verify-code-sent")
    home = verify.verify(qa.code(email, "TERMINAL_BIND"))

    assert home.user() == email
    assert home.terminal().startswith("This computer is trusted")
