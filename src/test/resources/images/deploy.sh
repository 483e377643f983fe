#!/bin/sh
# pulls and starts the reporting job
# docker run commented/out:latest
set -eu
docker pull registry.example/report:2.1 && docker run --rm \
    --name report registry.example/report:2.1 | logger
podman run -d "$IMAGE"
