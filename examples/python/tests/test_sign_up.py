import uuid

from hik.pages import Login

PASSWORD = "Horse-Battery-42"


def test_sign_up_by_email_with_the_code_from_the_outbox(open_app, qa):
    email = f"ana-{uuid.uuid4().hex[:6]}@example.com"
    driver, _ = open_app()

    sign_up = Login(driver).go_to_sign_up()
    sign_up.send_code_to_email(email)
    home = sign_up.create_account(qa.code(email, "USER_REGISTRATION"), PASSWORD)

    assert home.user() == email
    assert home.terminal().startswith("This computer is trusted")
