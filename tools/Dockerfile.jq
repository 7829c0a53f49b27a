# jq: command-line JSON processor.
# Source: Debian trixie, package(s): jq.
# Debian tools are not relocated: this stage installs the packages (so it
# builds and checks on its own) and records them in apt-packages; the final
# stage of Dockerfile.devenv installs all recorded packages with one apt-get.
# The version is trixie's (stable, security fixes only): there is no version
# ARG, as Debian's mirrors drop superseded versions.
ARG BASE=devenv-base:latest
FROM ${BASE} AS tool_jq
USER root
RUN apt-get update \
 && apt-get install -y --no-install-recommends jq \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /opt/devenv/tools/jq \
 && echo "jq" > /opt/devenv/tools/jq/apt-packages \
 && jq --version
