# The edgelog ingester: `edgelog serve` against the PostgreSQL named by DATABASE_URL.
FROM python:3.12-slim

WORKDIR /src
COPY . .
RUN python -m pip install --no-cache-dir . \
    && useradd --system --create-home edgelog \
    && install -d -o edgelog -m 700 /var/lib/edgelog \
    && install -d -o edgelog -m 755 /demo /geoip

# /demo and /geoip are volumes (docker-compose.yml): made here so that they belong to
# edgelog, which writes the demo profile's sample logs into them.
# The generated visitor key lives here, outside the database (a volume in docker-compose.yml).
ENV EDGELOG_SALT_FILE=/var/lib/edgelog/visitor-key
USER edgelog
WORKDIR /home/edgelog
ENTRYPOINT ["edgelog"]
CMD ["serve"]
