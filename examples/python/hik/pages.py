"""Page objects on the app's `data-testid` contract (README, "The
data-testid contract"). Each screen is `#app[data-screen]`."""

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as visible
from selenium.webdriver.support.ui import Select, WebDriverWait

from hik import WAIT


class Screen:
    name = None

    def __init__(self, driver):
        self.driver = driver
        if self.name:
            self.wait_until(
                lambda d: d.find_element(By.ID, "app").get_attribute("data-screen") == self.name,
                f"the {self.name} screen",
            )

    def wait_until(self, condition, what):
        return WebDriverWait(self.driver, WAIT).until(condition, f"never saw {what}")

    def find(self, testid):
        """The element with `testid` once it is shown."""
        return self.wait_until(
            visible.visibility_of_element_located((By.CSS_SELECTOR, f"[data-testid='{testid}']")),
            testid,
        )

    def fill(self, testid, text):
        field = self.find(testid)
        field.clear()
        field.send_keys(text)

    def click(self, testid):
        self.wait_until(
            visible.element_to_be_clickable((By.CSS_SELECTOR, f"[data-testid='{testid}']")),
            f"{testid} enabled",
        ).click()

    def text(self, testid):
        return self.find(testid).text

    def wait_text(self, testid, part):
        self.wait_until(lambda d: part in self.text(testid), f"{part!r} in {testid}")


class CodeEntry(Screen):
    """The code entry every screen that asks for a code shares: its testids
    start with the screen's prefix (`signup`, `verify`, `forgot`...)."""

    prefix = None

    def enter_code(self, code):
        self.fill(f"{self.prefix}-code", code)

    def submit(self):
        self.click(f"{self.prefix}-submit")


class Login(Screen):
    name = "login"

    def log_in(self, account, password):
        self.fill("login-account", account)
        self.fill("login-password", password)
        self.click("login-submit")

    def go_to_sign_up(self):
        self.click("nav-signup")
        return SignUp(self.driver)

    def lock_countdown(self):
        """The lock's time left (`m:ss`), once the lock is shown."""
        return self.text("login-lock-countdown")

    def reset_password_from_lock(self):
        self.click("login-lock-reset")
        return Forgot(self.driver)


class SignUp(CodeEntry):
    name = "signup"
    prefix = "signup"

    def send_code_to_email(self, email, area_id="44"):
        Select(self.find("signup-region")).select_by_value(area_id)
        self.fill("signup-email", email)
        self.click("signup-send-code")
        self.wait_text("signup-code-sent", email)

    def create_account(self, code, password):
        self.enter_code(code)
        self.fill("signup-password", password)
        self.submit()
        return Home(self.driver)


class Verify(CodeEntry):
    """A new terminal (6002): the code proves the person has the account's
    email or phone."""

    name = "verify"
    prefix = "verify"

    def send_code(self):
        self.click("verify-send")
        self.find("verify-code-sent")

    def verify(self, code):
        self.enter_code(code)
        self.submit()
        return Home(self.driver)


class Forgot(CodeEntry):
    name = "forgot"
    prefix = "forgot"

    def send_code(self):
        self.click("forgot-send-code")
        self.find("forgot-code-sent")

    def reset(self, code, new_password):
        self.enter_code(code)
        self.fill("forgot-password", new_password)
        self.submit()
        return Login(self.driver)


class Home(Screen):
    name = "home"

    def user(self):
        return self.text("home-user")

    def terminal(self):
        return self.text("home-terminal")
