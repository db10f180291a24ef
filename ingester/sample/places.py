"""Where sample visitors and robots are: cities, their address blocks and nearby edge locations.

The address blocks follow the real allocations of each country's large ISPs and of the clouds
the robots really crawl from, so a real GeoLite2 database puts most of them in the right country;
the sample database (`networks()`) puts every block in exactly one city. Edge location codes are
real CloudFront POP codes (airport code, number, C/P suffix) near each city.
"""

from __future__ import annotations

from dataclasses import dataclass

from ingester.sample.geodb import Place


@dataclass(frozen=True)
class City:
    place: Place
    utc_offset: float  # standard time; daylight saving is below the resolution of the rhythm
    ipv4: str  # residential and mobile addresses handed out in this city
    ipv6: str | None
    ipv6_share: float  # share of visitors who arrive over IPv6
    edges: tuple[str, ...]  # nearest first


@dataclass(frozen=True)
class Network:
    """Address blocks of a data centre or service (crawlers, monitors, proxies, scanners)."""

    place: Place
    cidrs: tuple[str, ...]
    edges: tuple[str, ...]


def _city(cc, country, region, name, lat, lon, geoname, offset, v4, v6, v6_share, *edges) -> City:
    place = Place(cc, country, region, name, lat, lon, geoname)
    return City(place, offset, v4, v6, v6_share, tuple(edges))


# fmt: off
CITIES: dict[str, City] = {
    "berlin": _city("DE", "Germany", "Land Berlin", "Berlin", 52.5200, 13.4050, 2950159, 1,
                    "91.64.0.0/16", "2a02:8108:1000::/40", 0.45, "TXL50-C1", "TXL52-P2"),
    "munich": _city("DE", "Germany", "Bavaria", "Munich", 48.1374, 11.5755, 2867714, 1,
                    "84.150.0.0/16", "2003:c1:7f00::/40", 0.55, "MUC50-C1", "MUC50-P2"),
    "hamburg": _city("DE", "Germany", "Hamburg", "Hamburg", 53.5511, 9.9937, 2911298, 1,
                     "79.200.0.0/16", "2003:e8:3f00::/40", 0.5, "HAM50-C1", "HAM50-P1"),
    "cologne": _city("DE", "Germany", "North Rhine-Westphalia", "Cologne", 50.9375, 6.9603,
                     2886242, 1, "93.200.0.0/16", "2003:d5:2b00::/40", 0.5, "DUS51-C1", "FRA56-P3"),
    "vienna": _city("AT", "Austria", "Vienna", "Vienna", 48.2082, 16.3738, 2761369, 1,
                    "178.190.0.0/16", "2a02:1748:dd00::/40", 0.3, "VIE50-C1", "VIE50-P2"),
    "zurich": _city("CH", "Switzerland", "Zurich", "Zurich", 47.3769, 8.5417, 2657896, 1,
                    "85.1.0.0/16", "2a02:1210:2c00::/40", 0.4, "ZRH50-C1", "ZRH55-P2"),
    "london": _city("GB", "United Kingdom", "England", "London", 51.5074, -0.1278, 2643743, 0,
                    "86.128.0.0/16", "2a00:23c5:8d00::/40", 0.35,
                    "LHR61-C2", "LHR50-P1", "LHR3-C1"),
    "manchester": _city("GB", "United Kingdom", "England", "Manchester", 53.4808, -2.2426,
                        2643123, 0, "86.160.0.0/16", "2a00:23c7:1e00::/40", 0.35, "MAN51-C1"),
    "dublin": _city("IE", "Ireland", "Leinster", "Dublin", 53.3498, -6.2603, 2964574, 0,
                    "86.40.0.0/16", "2001:bb6:4700::/40", 0.2, "DUB56-P1", "DUB2-C1"),
    "paris": _city("FR", "France", "Île-de-France", "Paris", 48.8566, 2.3522, 2988507, 1,
                   "90.0.0.0/16", "2a01:cb00:8a00::/40", 0.5, "CDG50-C1", "CDG52-P1", "CDG55-P3"),
    "lyon": _city("FR", "France", "Auvergne-Rhône-Alpes", "Lyon", 45.7640, 4.8357, 2996944, 1,
                  "90.100.0.0/16", "2a01:e0a:1d00::/40", 0.5, "MRS52-C2", "CDG50-C1"),
    "amsterdam": _city("NL", "Netherlands", "North Holland", "Amsterdam", 52.3676, 4.9041,
                       2759794, 1, "84.80.0.0/16", "2a02:a460:1200::/40", 0.3,
                       "AMS58-P2", "AMS1-C1"),
    "madrid": _city("ES", "Spain", "Madrid", "Madrid", 40.4168, -3.7038, 3117735, 1,
                    "83.32.0.0/16", "2a0c:5a80:1400::/40", 0.1, "MAD53-P1", "MAD56-C1"),
    "milan": _city("IT", "Italy", "Lombardy", "Milan", 45.4642, 9.1900, 3173435, 1,
                   "79.20.0.0/16", "2001:b07:6400::/40", 0.1, "MXP63-C1", "MXP53-P1"),
    "stockholm": _city("SE", "Sweden", "Stockholm", "Stockholm", 59.3293, 18.0686, 2673730, 1,
                       "81.224.0.0/16", "2001:2002:5400::/40", 0.2, "ARN54-C1", "ARN53-P1"),
    "warsaw": _city("PL", "Poland", "Mazovia", "Warsaw", 52.2297, 21.0122, 756135, 1,
                    "83.24.0.0/16", "2a02:a311:4000::/40", 0.2, "WAW51-P1", "WAW50-C1"),
    "prague": _city("CZ", "Czechia", "Prague", "Prague", 50.0755, 14.4378, 3067696, 1,
                    "90.176.0.0/16", "2a00:1028:8300::/40", 0.15, "PRG50-C1"),
    "istanbul": _city("TR", "Türkiye", "Istanbul", "Istanbul", 41.0082, 28.9784, 745044, 3,
                      "88.230.0.0/16", None, 0.0, "IST50-C1", "SOF50-C1"),
    "new-york": _city("US", "United States", "New York", "New York", 40.7128, -74.0060, 5128581, -5,
                      "72.229.0.0/16", "2603:7000:9a00::/40", 0.5, "JFK50-C1", "EWR53-C3"),
    "washington": _city("US", "United States", "District of Columbia", "Washington", 38.9072,
                        -77.0369, 4140963, -5, "71.191.0.0/16", "2600:4040:2100::/40", 0.5,
                        "IAD89-C1", "IAD55-P4", "IAD12-C2"),
    "atlanta": _city("US", "United States", "Georgia", "Atlanta", 33.7490, -84.3880, 4180439, -5,
                     "73.137.0.0/16", "2601:c0:c100::/40", 0.5, "ATL59-P3", "ATL56-C1"),
    "chicago": _city("US", "United States", "Illinois", "Chicago", 41.8781, -87.6298, 4887398, -6,
                     "73.44.0.0/16", "2601:240:c500::/40", 0.5, "ORD58-P4", "ORD51-C1"),
    "dallas": _city("US", "United States", "Texas", "Dallas", 32.7767, -96.7970, 4684888, -6,
                    "47.184.0.0/16", "2600:1700:7c00::/40", 0.45, "DFW55-C1", "DFW50-P2"),
    "denver": _city("US", "United States", "Colorado", "Denver", 39.7392, -104.9903, 5419384, -7,
                    "73.169.0.0/16", "2601:280:4a00::/40", 0.5, "DEN52-C1", "DEN50-P1"),
    "san-francisco": _city("US", "United States", "California", "San Francisco", 37.7749,
                           -122.4194, 5391959, -8, "73.162.0.0/16", "2601:645:8000::/40", 0.5,
                           "SFO53-P1", "SFO5-C1", "SJC50-C1"),
    "los-angeles": _city("US", "United States", "California", "Los Angeles", 34.0522, -118.2437,
                         5368361, -8, "76.91.0.0/16", "2603:8000:c00::/40", 0.45, "LAX50-C1",
                         "LAX3-C4"),
    "seattle": _city("US", "United States", "Washington", "Seattle", 47.6062, -122.3321, 5809844,
                     -8, "73.225.0.0/16", "2601:601:9b00::/40", 0.5, "SEA19-C1", "SEA73-P1"),
    "toronto": _city("CA", "Canada", "Ontario", "Toronto", 43.6532, -79.3832, 6167865, -5,
                     "99.224.0.0/16", "2607:fea8:1d00::/40", 0.3, "YTO50-C1", "YTO53-C2"),
    "vancouver": _city("CA", "Canada", "British Columbia", "Vancouver", 49.2827, -123.1207,
                       6173331, -8, "24.84.0.0/16", "2604:3d08:4e00::/40", 0.3, "YVR52-P1"),
    "mexico-city": _city("MX", "Mexico", "Mexico City", "Mexico City", 19.4326, -99.1332, 3530597,
                         -6, "189.203.0.0/16", "2806:2f0:9000::/40", 0.3, "QRO51-C1", "QRO51-P1"),
    "sao-paulo": _city("BR", "Brazil", "São Paulo", "São Paulo", -23.5505, -46.6333, 3448439, -3,
                       "177.32.0.0/16", "2804:14c:5b00::/40", 0.4,
                       "GRU3-C1", "GRU1-C1", "GRU50-P1"),
    "buenos-aires": _city("AR", "Argentina", "Buenos Aires F.D.", "Buenos Aires", -34.6037,
                          -58.3816, 3435910, -3, "181.46.0.0/16", "2800:810:4400::/40", 0.1,
                          "EZE50-C1"),
    "bogota": _city("CO", "Colombia", "Bogota D.C.", "Bogotá", 4.7110, -74.0721, 3688689, -5,
                    "181.48.0.0/16", None, 0.0, "BOG50-C1"),
    "tokyo": _city("JP", "Japan", "Tokyo", "Tokyo", 35.6762, 139.6503, 1850147, 9,
                   "126.0.0.0/16", "2400:4051:e00::/40", 0.4, "NRT57-C3", "NRT20-C4", "NRT51-P2"),
    "osaka": _city("JP", "Japan", "Osaka", "Osaka", 34.6937, 135.5023, 1853909, 9,
                   "126.100.0.0/16", "240b:11:4600::/40", 0.4, "KIX56-P1", "KIX50-C1"),
    "seoul": _city("KR", "South Korea", "Seoul", "Seoul", 37.5665, 126.9780, 1835848, 9,
                   "121.128.0.0/16", None, 0.0, "ICN57-P1", "ICN51-C1"),
    "singapore": _city("SG", "Singapore", "Central Singapore", "Singapore", 1.3521, 103.8198,
                       1880252, 8, "116.86.0.0/16", "2406:3003:2000::/40", 0.2, "SIN2-P1",
                       "SIN52-C2"),
    "jakarta": _city("ID", "Indonesia", "Jakarta", "Jakarta", -6.2088, 106.8456, 1642911, 7,
                     "36.68.0.0/16", None, 0.0, "CGK51-C1"),
    "mumbai": _city("IN", "India", "Maharashtra", "Mumbai", 19.0760, 72.8777, 1275339, 5.5,
                    "49.36.0.0/16", "2409:4040:d00::/40", 0.7, "BOM78-P4", "BOM52-C1"),
    "bengaluru": _city("IN", "India", "Karnataka", "Bengaluru", 12.9716, 77.5946, 1277333, 5.5,
                       "106.51.0.0/16", "2401:4900:1c00::/40", 0.6, "BLR50-C1", "BLR50-P3"),
    "delhi": _city("IN", "India", "Delhi", "Delhi", 28.6139, 77.2090, 1273294, 5.5,
                   "122.161.0.0/16", "2401:4900:3b00::/40", 0.6, "DEL54-C1", "DEL51-P1"),
    "sydney": _city("AU", "Australia", "New South Wales", "Sydney", -33.8688, 151.2093, 2147714,
                    10, "1.128.0.0/16", "2001:8003:e400::/40", 0.3, "SYD62-P1", "SYD1-C1"),
    "melbourne": _city("AU", "Australia", "Victoria", "Melbourne", -37.8136, 144.9631, 2158177,
                       10, "101.160.0.0/16", "2001:8004:1100::/40", 0.3, "MEL50-C2", "SYD62-P1"),
    "auckland": _city("NZ", "New Zealand", "Auckland", "Auckland", -36.8485, 174.7633, 2193733,
                      12, "122.56.0.0/16", "2404:4408:6300::/40", 0.2, "AKL50-C1"),
    "johannesburg": _city("ZA", "South Africa", "Gauteng", "Johannesburg", -26.2041, 28.0473,
                          993800, 2, "105.224.0.0/16", None, 0.0, "JNB50-C1"),
    "lagos": _city("NG", "Nigeria", "Lagos", "Lagos", 6.5244, 3.3792, 2332459, 1,
                   "105.112.0.0/16", None, 0.0, "LOS50-C1"),
    "dubai": _city("AE", "United Arab Emirates", "Dubai", "Dubai", 25.2048, 55.2708, 292223, 4,
                   "94.200.0.0/16", "2001:8f8:1600::/40", 0.3, "DXB52-P1", "DXB53-C1"),
    "tel-aviv": _city("IL", "Israel", "Tel Aviv", "Tel Aviv", 32.0853, 34.7818, 293397, 2,
                      "79.176.0.0/16", "2a06:c701:4400::/40", 0.3, "TLV50-C2"),
}


def _dc(cc, country, region, name, lat, lon, geoname, cidrs, edges) -> Network:
    return Network(Place(cc, country, region, name, lat, lon, geoname), cidrs, edges)


def _at(city: str, cidrs: tuple[str, ...]) -> Network:
    return Network(CITIES[city].place, cidrs, CITIES[city].edges)


# The blocks robots, monitors and proxies really come from (published crawler and health
# checker ranges, cloud regions), each placed where its operator is.
DATACENTERS: dict[str, Network] = {
    "google": _dc("US", "United States", "California", "Mountain View", 37.3861, -122.0839,
                  5375480, ("66.249.64.0/20", "2001:4860:4801::/48"), ("SFO53-P1", "SJC50-C1")),
    "microsoft": _dc("US", "United States", "Virginia", "Boydton", 36.6676, -78.3875, 4747242,
                     ("40.77.167.0/24", "157.55.39.0/24", "207.46.13.0/24"), ("IAD89-C1",)),
    "apple": _dc("US", "United States", "California", "Cupertino", 37.3230, -122.0322, 5341145,
                 ("17.241.219.0/24", "17.22.237.0/24"), ("SJC50-C1", "SFO5-C1")),
    "ovh": _dc("FR", "France", "Hauts-de-France", "Roubaix", 50.6942, 3.1746, 2982652,
               ("54.36.148.0/23", "51.222.253.0/26"), ("CDG52-P1", "AMS1-C1")),
    "azure": _dc("US", "United States", "Iowa", "Des Moines", 41.5868, -93.6250, 4853828,
                 ("20.171.206.0/23",), ("ORD51-C1", "DEN52-C1")),
    "yandex": _dc("RU", "Russia", "Moscow", "Moscow", 55.7558, 37.6173, 524901,
                  ("5.255.253.0/24", "213.180.203.0/24"), ("HEL51-P1", "ARN54-C1")),
    "meta": _dc("US", "United States", "California", "Menlo Park", 37.4530, -122.1817, 5372223,
                ("69.171.249.0/24", "173.252.83.0/24"), ("SFO53-P1",)),
    "aws-us-east": _dc("US", "United States", "Virginia", "Ashburn", 39.0438, -77.4874, 4744870,
                       ("3.80.0.0/16", "54.243.31.192/26"), ("IAD89-C1", "IAD55-P4")),
    "aws-us-west": _dc("US", "United States", "Oregon", "Boardman", 45.8399, -119.7006, 5713587,
                       ("54.244.52.192/26",), ("SEA19-C1", "PDX50-C1")),
    "aws-eu-west": _at("dublin", ("54.228.16.0/26", "52.16.0.0/16")),
    "aws-ap-northeast": _at("tokyo", ("54.248.220.0/26",)),
    "aws-ap-southeast": _at("singapore", ("54.251.31.128/26",)),
    "aws-sa-east": _at("sao-paulo", ("54.232.40.64/26",)),
    "gcp": _dc("US", "United States", "Iowa", "Council Bluffs", 41.2619, -95.8608, 4852832,
               ("34.72.0.0/16",), ("ORD58-P4", "DFW55-C1")),
    "digitalocean": _at("amsterdam", ("167.99.0.0/16",)),
    "hetzner": _dc("DE", "Germany", "Bavaria", "Nuremberg", 49.4521, 11.0767, 2861650,
                   ("88.198.0.0/16",), ("MUC50-C1", "FRA56-P3")),
    "alibaba": _dc("CN", "China", "Beijing", "Beijing", 39.9042, 116.4074, 1816670,
                   ("47.92.0.0/16",), ("HKG62-C1", "NRT57-C3")),
    "uptimerobot": _at("dallas", ("69.162.124.224/28", "63.143.42.240/28", "216.245.221.80/28")),
    "twitter": _at("san-francisco", ("199.16.157.0/24",)),
    # Corporate web proxies: the office worker is in x-forwarded-for, the proxy in c-ip.
    "proxy-eu": _dc("DE", "Germany", "Hesse", "Frankfurt am Main", 50.1109, 8.6821, 2925533,
                    ("165.225.72.0/22",), ("FRA56-P3", "FRA2-C1")),
    "proxy-us": _at("chicago", ("165.225.216.0/22",)),
}
# fmt: on


def networks() -> dict[str, Place]:
    """Every block the generator hands out addresses from, with its place (for the GeoIP db)."""
    result: dict[str, Place] = {}
    for city in CITIES.values():
        result[city.ipv4] = city.place
        if city.ipv6:
            result[city.ipv6] = city.place
    for network in DATACENTERS.values():
        for cidr in network.cidrs:
            result[cidr] = network.place
    return result
