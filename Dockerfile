# The edgelog ingester: `edgelog serve` against the PostgreSQL named by DATABASE_URL.
FROM python:3.12-slim

WORKDIR /src
COPY . .
RUN python -m pip install --no-cache-dir . \
    && useradd --system --create-home edgelog

USER edgelog
WORKDIR /home/edgelog
ENTRYPOINT ["edgelog"]
CMD ["serve"]
