# syntax=docker/dockerfile:1
# The Vertable node image: one jar for every role (edge, core); the plan comes from VTT_DEPLOY at run time.
#   docker build -t vertable:0.1.0 .
# KubernetesManifestsTest checks this file against k8s/: the exposed ports, the user, the Hazelcast file's path.

# ---- build: the same toolchain as a developer machine (Debian 12: OpenJDK 17, Maven 3.8.7, Node 20) ----
FROM node:20-bookworm AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends openjdk-17-jdk-headless maven \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# The browser client is built into the jar (npm ci + vite build run inside Maven); tests run in CI, not here.
RUN --mount=type=cache,target=/root/.m2 --mount=type=cache,target=/root/.npm \
    mvn -B -pl verticles -am package -Dclient.skip=false -Dmaven.test.skip=true

# ---- run: a JRE and the jar, as an unprivileged user ----
FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 vertable \
 && useradd --system --uid 10001 --gid vertable --home-dir /app --no-create-home --shell /usr/sbin/nologin vertable
WORKDIR /app
COPY --from=build /src/verticles/target/vertable.jar /app/vertable.jar
# Only the Hazelcast file for Kubernetes (VTT_HAZELCAST_CONFIG in k8s/configmap.yaml). No conf/config.json here:
# the defaults are inside the jar and a pod's settings come from its environment.
COPY conf/hazelcast-kubernetes.yaml /app/conf/hazelcast-kubernetes.yaml
USER 10001:10001
# http, SockJS bridge, Hazelcast. The clustered event bus takes a free port of its own.
EXPOSE 8080 8081 5701
# java is PID 1 and gets SIGTERM itself: the node's graceful stop (closes its doors, hands rooms over, leaves).
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-jar", "/app/vertable.jar"]
