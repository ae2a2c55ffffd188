"""The cloud's meta.message is in the language the run asks for: each
request's own by default, Chinese for everyone with --messages zh (as the real
service answers, whatever the client's language). The clients' tests run
under both; this says which one is in force."""

from conftest import MESSAGES


def test_meta_message_is_in_the_language_of_the_setting(cloud):
    def ask(lang: str) -> str:
        r = cloud.http.get(
            f"{cloud.url(cloud.europe)}/v3/users/area/list", headers={"lang": lang}, timeout=10
        ).json()
        assert r["meta"]["code"] == 200, r
        return r["meta"]["message"]

    if MESSAGES == "zh":
        assert ask("en-US") == ask("zh-CN") == "操作成功"
    else:
        assert ask("en-US") == "Operation succeeded."
        assert ask("zh-CN") == "操作成功"
