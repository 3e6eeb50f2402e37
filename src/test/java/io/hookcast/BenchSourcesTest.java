package io.hookcast;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The store benchmarks in {@code bench/} run as single-file Java programs against the store's classes, which no build
 * compiles: without this, a changed constructor breaks {@code bench/store.sh} unnoticed until someone measures.
 */
class BenchSourcesTest {

  @Test
  void theBenchmarkProgramsCompileAgainstTheCode(@TempDir Path out) throws IOException {
    List<Path> sources;
    try (Stream<Path> files = Files.list(Path.of("bench"))) {
      sources = files.filter(file -> file.toString().endsWith(".java")).sorted().toList();
    }
    assertFalse(sources.isEmpty(), "no bench/*.java found from " + Path.of("").toAbsolutePath());
    // Surefire hands the forked JVM its class path in this property; java.class.path may be a manifest-only jar.
    String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, null, null)) {
      boolean compiled = compiler.getTask(null, files, diagnostics, List.of("-proc:none", "-cp", classPath, "-d", out.toString()),
        null, files.getJavaFileObjectsFromPaths(sources)).call();
      assertTrue(compiled, () -> diagnostics.getDiagnostics().stream()
        .map(d -> d.getSource().getName() + ":" + d.getLineNumber() + ": " + d.getMessage(null)).toList().toString());
    }
  }
}
