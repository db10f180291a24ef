"""describe_user_agent: browsers, systems and devices for people; readable names for bots."""

from __future__ import annotations

import pytest
from crawlerdetect import CrawlerDetect

from ingester.enrich.useragent import KNOWN_BOTS, UserAgent, describe_user_agent

CHROME_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.6099.130 Safari/537.36"
)
ROUTE53 = (
    "Amazon-Route53-Health-Check-Service (ref 2a2c4c36-ba3e-4f53-9c1d-fc2e09f0f6d5; "
    "report http://amzn.to/1vsZADi)"
)

PEOPLE = [
    # user agent, browser, browser version, OS, OS version, device type
    (CHROME_WINDOWS, "Chrome", "120.0.6099", "Windows", "10", "desktop"),
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0",
        "Firefox",
        "121.0",
        "Windows",
        "10",
        "desktop",
    ),
    (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/17.1 Safari/605.1.15",
        "Safari",
        "17.1",
        "Mac OS X",
        "10.15.7",
        "desktop",
    ),
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91",
        "Edge",
        "120.0.2210",
        "Windows",
        "10",
        "desktop",
    ),
    (
        "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0",
        "Firefox",
        "120.0",
        "Ubuntu",
        None,
        "desktop",
    ),
    (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1_2 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/17.1.2 Mobile/15E148 Safari/604.1",
        "Mobile Safari",
        "17.1.2",
        "iOS",
        "17.1.2",
        "mobile",
    ),
    (
        "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/120.0.6099.144 Mobile Safari/537.36",
        "Chrome Mobile",
        "120.0.6099",
        "Android",
        "14",
        "mobile",
    ),
    (
        "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
        "SamsungBrowser/23.0 Chrome/115.0.0.0 Mobile Safari/537.36",
        "Samsung Internet",
        "23.0",
        "Android",
        "10",
        "mobile",
    ),
    (
        "Mozilla/5.0 (iPad; CPU OS 17_1 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1",
        "Mobile Safari",
        "17.1",
        "iOS",
        "17.1",
        "tablet",
    ),
    (
        "Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/120.0.6099.144 Safari/537.36",
        "Chrome",
        "120.0.6099",
        "Android",
        "13",
        "tablet",
    ),
    (
        "Mozilla/5.0 (SMART-TV; Linux; Tizen 6.0) AppleWebKit/537.36 (KHTML, like Gecko) "
        "SamsungBrowser/4.0 Chrome/76.0.3809.146 TV Safari/537.36",
        "Samsung Internet",
        "4.0",
        "Tizen",
        "6.0",
        "other",
    ),
]

# Every bot family edgelog must recognise: (user agent, readable name).
BOTS = [
    # search engines and other crawlers
    ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "Googlebot"),
    (
        "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 "
        "(KHTML, like Gecko) Chrome/120.0.6099.129 Mobile Safari/537.36 "
        "(compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Googlebot",
    ),
    ("Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", "bingbot"),
    ("Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)", "YandexBot"),
    ("DuckDuckBot/1.1; (+http://duckduckgo.com/duckduckbot.html)", "DuckDuckBot"),
    ("Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)", "AhrefsBot"),
    (
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "facebookexternalhit",
    ),
    ("Mozilla/5.0 (compatible; GPTBot/1.0; +https://openai.com/gptbot)", "GPTBot"),
    (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_5) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/13.1.1 Safari/605.1.15 (Applebot/0.1; +http://www.apple.com/go/applebot)",
        "Applebot",
    ),
    ("Mozilla/5.0 (compatible; Applebot/0.1; +http://www.apple.com/go/applebot)", "Applebot"),
    # command-line clients and libraries
    ("curl/8.4.0", "curl"),
    ("python-requests/2.31.0", "python-requests"),
    ("Go-http-client/2.0", "Go-http-client"),
    ("Wget/1.21.4", "Wget"),
    (
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "HeadlessChrome/120.0.6099.109 Safari/537.36",
        "HeadlessChrome",
    ),
    # vulnerability scanners
    ("Mozilla/5.0 zgrab/0.x", "zgrab"),
    ("Nuclei - Open-source project (github.com/projectdiscovery/nuclei)", "Nuclei"),
    ("sqlmap/1.7.2#stable (https://sqlmap.org)", "sqlmap"),
    ("Mozilla/5.00 (Nikto/2.1.6) (Evasions:None) (Test:Port Check)", "Nikto"),
    ("masscan/1.3 (https://github.com/robertdavidgraham/masscan)", "masscan"),
    ("Mozilla/5.0 (compatible; CensysInspect/1.1; +https://about.censys.io/)", "CensysInspect"),
    (
        "Expanse, a Palo Alto Networks company, searches across the global IPv4 space "
        "multiple times per day to identify customers' presences on the Internet. If you "
        "would like to be excluded from our scans, please send IP addresses/domains to: "
        "scaninfo@paloaltonetworks.com",
        "Expanse",
    ),
    ("feroxbuster/2.10.1", "feroxbuster"),
    # uptime monitors and health checks
    ("Mozilla/5.0 (compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)", "UptimeRobot"),
    ("Pingdom.com_bot_version_1.4_(http://www.pingdom.com/)", "Pingdom"),
    (
        "Mozilla/5.0 (Unknown; Linux x86_64) AppleWebKit/534.34 (KHTML, like Gecko) "
        "PingdomTMS/0.8.5 Safari/534.34",
        "Pingdom",
    ),
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/96.0.4664.110 Safari/537.36 StatusCake",
        "StatusCake",
    ),
    ("StatusCake_Pagespeed_indev", "StatusCake"),
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/119.0.0.0 Safari/537.36 Site24x7",
        "Site24x7",
    ),
    (
        "Better Uptime Bot Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
        "(KHTML, like Gecko) Chrome/90.0.4430.93 Safari/537.36",
        "Better Uptime",
    ),
    (
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/94.0.4606.61 Safari/537.36 BetterUptimeBot/1.0",
        "Better Uptime",
    ),
    ("Datadog/Synthetics", "Datadog Synthetics"),
    (ROUTE53, "Route 53 health check"),
    ("ELB-HealthChecker/2.0", "ELB-HealthChecker"),
]

# The bots above that crawlerdetect misses: KNOWN_BOTS must cover exactly these.
MISSED_BY_CRAWLERDETECT = ["feroxbuster/2.10.1", "Datadog/Synthetics"]


@pytest.mark.parametrize(("user_agent", "browser", "version", "os", "os_version", "device"), PEOPLE)
def test_browsers_are_described_by_family_version_system_and_device(
    user_agent, browser, version, os, os_version, device
):
    assert describe_user_agent(user_agent) == UserAgent(
        browser=browser,
        browser_version=version,
        os=os,
        os_version=os_version,
        device_type=device,
        is_bot=False,
        bot_name=None,
    )


@pytest.mark.parametrize(("user_agent", "name"), BOTS)
def test_every_bot_family_is_a_bot_with_a_readable_name(user_agent, name):
    described = describe_user_agent(user_agent)
    assert described.is_bot
    assert described.device_type == "bot"
    assert described.bot_name == name


def test_the_route53_health_check_is_named_and_has_no_browser():
    assert describe_user_agent(ROUTE53) == UserAgent(
        browser=None,
        browser_version=None,
        os=None,
        os_version=None,
        device_type="bot",
        is_bot=True,
        bot_name="Route 53 health check",
    )


def test_a_bot_keeps_the_browser_and_system_it_claims():
    described = describe_user_agent(BOTS[1][0])  # Googlebot smartphone
    assert (described.browser, described.browser_version) == ("Googlebot", "2.1")
    assert (described.os, described.os_version) == ("Android", "6.0.1")


@pytest.mark.parametrize("user_agent", ["", "-"])
def test_a_missing_user_agent_is_an_unnamed_bot(user_agent):
    assert describe_user_agent(user_agent) == UserAgent(None, None, None, None, "bot", True, None)


def test_an_unknown_user_agent_is_other_and_not_a_bot():
    assert describe_user_agent("SomethingNew") == UserAgent(
        None, None, None, None, "other", False, None
    )


@pytest.mark.parametrize("user_agent", MISSED_BY_CRAWLERDETECT)
def test_supplementary_patterns_cover_bots_crawlerdetect_misses(user_agent):
    assert not CrawlerDetect().is_crawler(user_agent)
    assert any(pattern.search(user_agent) for pattern, _ in KNOWN_BOTS)


@pytest.mark.parametrize("user_agent", [ua for ua, _ in BOTS if ua not in MISSED_BY_CRAWLERDETECT])
def test_crawlerdetect_alone_finds_every_other_bot_family(user_agent):
    # When this fails after an upgrade, crawlerdetect dropped a pattern: add it to KNOWN_BOTS.
    assert CrawlerDetect().is_crawler(user_agent)
