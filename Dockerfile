# Builds the fat jar, then runs it on a JRE. The same image serves the router and the demo backends.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src src
COPY conf conf
COPY cluster.xml cluster.xml
RUN mvn -B -q package -DskipTests

FROM eclipse-temurin:17-jre
WORKDIR /app
COPY --from=build /src/target/hookcast.jar /app/hookcast.jar
COPY conf /app/conf
COPY cluster.xml /app/cluster.xml
# The JVM settings Hookcast is measured with (docs/performance.md), as bin/hookcast sets them: without them the JVM
# sizes its heap from the host's memory under G1, and Hookcast's peak RSS goes past 256 MiB.
# jdk.nio.maxCachedBufferSize bounds the direct memory the JDK keeps per thread for NIO transfers (bin/hookcast).
# Every java in the image reads them (the demo backends too); set JAVA_TOOL_OPTIONS to replace them.
ENV JAVA_TOOL_OPTIONS="-Xms192m -Xmx512m -Xmn96m -XX:+UseSerialGC -XX:MetaspaceSize=64m -XX:MaxMetaspaceSize=96m -XX:ReservedCodeCacheSize=64m -Xss512k -XX:MaxDirectMemorySize=64m -Djdk.nio.maxCachedBufferSize=262144"
# Fewer glibc malloc arenas, as bin/hookcast sets: the embedded store's worker threads would each hold one.
ENV MALLOC_ARENA_MAX=2
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/app/hookcast.jar"]
CMD ["-conf", "/app/conf/compose.json"]
