"""The sample websites: a shop, a developer blog and a SaaS product site."""

from ingester.sample.sites.blog import SITE as BLOG
from ingester.sample.sites.saas import SITE as SAAS
from ingester.sample.sites.shop import SITE as SHOP

SITES = (SHOP, BLOG, SAAS)
