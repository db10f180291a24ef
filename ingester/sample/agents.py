"""User agents: current browsers by device class, and the robots that visit every site.

Browser strings follow what the browsers send today (Chrome's reduced `X.0.0.0` versions,
Android's `K` model, iPadOS Safari), with a spread of versions so that dashboards show a
realistic long tail. Robot strings are copied from what those robots send.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Browser:
    device: str  # desktop, mobile or tablet
    family: str
    ua: str
    weight: float
    http3: bool = True  # speaks HTTP/3 when the site offers it


def _spread(device, family, template, versions, weight, http3=True) -> list[Browser]:
    """One entry per version; newer versions are more common (auto-update lag)."""
    shares = [0.5**i for i in range(len(versions))]
    total = sum(shares)
    return [
        Browser(
            device,
            family,
            template.format(*v if isinstance(v, tuple) else (v,)),
            weight * share / total,
            http3,
        )
        for v, share in zip(versions, shares, strict=True)
    ]


_WIN = "Mozilla/5.0 (Windows NT 10.0; Win64; x64)"
_MAC = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7)"
_WEBKIT = "AppleWebKit/537.36 (KHTML, like Gecko)"
_SAFARI = "AppleWebKit/605.1.15 (KHTML, like Gecko)"
_IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS {0} like Mac OS X)"
_IPAD = "Mozilla/5.0 (iPad; CPU OS {0} like Mac OS X)"
_CHROME = ("134", "133", "132", "131")
_FIREFOX = ("136.0", "135.0", "134.0", "128.0")
_IOS = (("18_3", "18.3"), ("18_2", "18.2"), ("18_1", "18.1"), ("17_7", "17.6"))
_CRIOS = (("18_3", "133.0.6943.84"), ("18_2", "132.0.6834.100"))
_SAMSUNG_PHONES = (
    ("14", "SM-S921B", "27.0", "125"),
    ("14", "SM-A546B", "26.0", "122"),
    ("13", "SM-G991B", "25.0", "121"),
)

# Templates: `{0}`, `{1}`... are filled from each entry of the version lists.
WIN_CHROME = f"{_WIN} {_WEBKIT} Chrome/{{0}}.0.0.0 Safari/537.36"
MAC_CHROME = f"{_MAC} {_WEBKIT} Chrome/{{0}}.0.0.0 Safari/537.36"
LINUX_CHROME = f"Mozilla/5.0 (X11; Linux x86_64) {_WEBKIT} Chrome/{{0}}.0.0.0 Safari/537.36"
WIN_EDGE = WIN_CHROME + " Edg/{0}.0.0.0"
WIN_OPERA = WIN_CHROME + " OPR/{1}"
WIN_FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:{0}) Gecko/20100101 Firefox/{0}"
MAC_FIREFOX = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:{0}) Gecko/20100101 Firefox/{0}"
LINUX_FIREFOX = "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:{0}) Gecko/20100101 Firefox/{0}"
MAC_SAFARI = f"{_MAC} {_SAFARI} Version/{{0}} Safari/605.1.15"
IPHONE_SAFARI = f"{_IPHONE} {_SAFARI} Version/{{1}} Mobile/15E148 Safari/604.1"
IPHONE_CHROME = f"{_IPHONE} {_SAFARI} CriOS/{{1}} Mobile/15E148 Safari/604.1"
ANDROID_CHROME = (
    f"Mozilla/5.0 (Linux; Android 10; K) {_WEBKIT} Chrome/{{0}}.0.0.0 Mobile Safari/537.36"
)
ANDROID_SAMSUNG = (
    "Mozilla/5.0 (Linux; Android {0}; SAMSUNG {1}) "
    f"{_WEBKIT} SamsungBrowser/{{2}} Chrome/{{3}}.0.0.0 Mobile Safari/537.36"
)
ANDROID_FIREFOX = "Mozilla/5.0 (Android 14; Mobile; rv:{0}) Gecko/{0} Firefox/{0}"
IPAD_SAFARI = f"{_IPAD} {_SAFARI} Version/{{1}} Mobile/15E148 Safari/604.1"
ANDROID_TABLET_CHROME = (
    f"Mozilla/5.0 (Linux; Android 14; SM-X710) {_WEBKIT} Chrome/{{0}}.0.0.0 Safari/537.36"
)
ANDROID_TABLET_SAMSUNG = (
    f"Mozilla/5.0 (Linux; Android 13; SAMSUNG SM-X700) {_WEBKIT} SamsungBrowser/26.0 "
    "Chrome/{0}.0.0.0 Safari/537.36"
)
# In-app browsers: the `[FBAN/...]` brackets reach the log %-encoded.
FACEBOOK_IOS = (
    f"{_IPHONE.format('18_2')} {_SAFARI} Mobile/15E148 [FBAN/FBIOS;FBAV/497.0.0.38.107;"
    "FBBV/688342101;FBDV/iPhone15,2;FBMD/iPhone;FBSN/iOS;FBSV/18.2;FBSS/3;FBCR/;FBID/phone;"
    "FBLC/de_DE;FBOP/5]"
)
INSTAGRAM_ANDROID = (
    f"Mozilla/5.0 (Linux; Android 14; SM-S918B Build/UP1A.231005.007; wv) {_WEBKIT} Version/4.0 "
    "Chrome/133.0.6943.89 Mobile Safari/537.36 Instagram 369.0.0.46.101 Android (34/14; 480dpi; "
    "1080x2340; samsung; SM-S918B; dm3q; qcom; en_US; 705109124)"
)

DESKTOP = [
    *_spread("desktop", "Chrome", WIN_CHROME, _CHROME, 36),
    *_spread("desktop", "Chrome", MAC_CHROME, _CHROME, 14),
    *_spread("desktop", "Chrome", LINUX_CHROME, _CHROME, 3),
    *_spread("desktop", "Edge", WIN_EDGE, _CHROME, 12),
    *_spread("desktop", "Firefox", WIN_FIREFOX, _FIREFOX, 6),
    *_spread("desktop", "Firefox", MAC_FIREFOX, _FIREFOX, 2),
    *_spread("desktop", "Firefox", LINUX_FIREFOX, _FIREFOX, 2),
    *_spread("desktop", "Safari", MAC_SAFARI, ("18.3", "18.2", "17.6"), 16),
    *_spread("desktop", "Opera", WIN_OPERA, (("133", "117.0.0.0"), ("132", "116.0.0.0")), 2),
]
MOBILE = [
    *_spread("mobile", "Safari", IPHONE_SAFARI, _IOS, 42),
    *_spread("mobile", "Chrome", ANDROID_CHROME, _CHROME, 34),
    *_spread("mobile", "Samsung Internet", ANDROID_SAMSUNG, _SAMSUNG_PHONES, 9),
    *_spread("mobile", "Chrome", IPHONE_CHROME, _CRIOS, 5),
    *_spread("mobile", "Firefox", ANDROID_FIREFOX, _FIREFOX[:2], 2),
    Browser("mobile", "Facebook", FACEBOOK_IOS, 2, http3=False),
    Browser("mobile", "Instagram", INSTAGRAM_ANDROID, 2, http3=False),
]
TABLET = [
    *_spread("tablet", "Safari", IPAD_SAFARI, _IOS[:3], 45),
    *_spread("tablet", "Chrome", ANDROID_TABLET_CHROME, _CHROME[:3], 30),
    *_spread("tablet", "Samsung Internet", ANDROID_TABLET_SAMSUNG, ("122",), 15),
]

BROWSERS: dict[str, list[Browser]] = {"desktop": DESKTOP, "mobile": MOBILE, "tablet": TABLET}

# Robots ---------------------------------------------------------------------------------
GOOGLEBOT = (
    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; Googlebot/2.1; "
    "+http://www.google.com/bot.html) Chrome/133.0.6943.141 Safari/537.36"
)
GOOGLEBOT_SMARTPHONE = (
    "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like "
    "Gecko) Chrome/133.0.6943.141 Mobile Safari/537.36 (compatible; Googlebot/2.1; "
    "+http://www.google.com/bot.html)"
)
GOOGLEBOT_IMAGE = "Googlebot-Image/1.0"
BINGBOT = (
    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; bingbot/2.0; "
    "+http://www.bing.com/bingbot.htm) Chrome/116.0.1938.76 Safari/537.36"
)
APPLEBOT = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.4 Safari/605.1.15 (Applebot/0.1; +http://www.apple.com/go/applebot)"
)
AHREFSBOT = "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)"
GPTBOT = (
    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; "
    "+https://openai.com/gptbot)"
)
YANDEXBOT = "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)"
FACEBOOK_PREVIEW = "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)"
TWITTERBOT = "Twitterbot/1.0"
SLACKBOT = "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)"
FEEDLY = "Feedly/1.0 (+https://feedly.com/poller.html; 42 subscribers; )"
CURL = "curl/8.5.0"
PYTHON_REQUESTS = "python-requests/2.32.3"
GO_HTTP = "Go-http-client/1.1"
GO_HTTP2 = "Go-http-client/2.0"
WGET = "Wget/1.21.4"
HEADLESS_CHROME = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "HeadlessChrome/133.0.6943.53 Safari/537.36"
)
UPTIMEROBOT = "Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)"
ROUTE53 = "Amazon-Route53-Health-Check-Service (ref {}; report http://amzn.to/1vsZADi)"
# Scanners announce themselves, or pose as an outdated browser (or send no user agent at all).
SCANNERS = (
    "Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html)",
    "Mozilla/5.0 zgrab/0.x",
    "Mozilla/5.0 (X11; Linux x86_64; rv:83.0) Gecko/20100101 Firefox/83.0",
    "Mozilla/5.0 (Windows NT 6.1; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/78.0.3904.108 Safari/537.36",
    "",
)
