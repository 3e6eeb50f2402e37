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
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/app/hookcast.jar"]
CMD ["-conf", "/app/conf/compose.json"]
