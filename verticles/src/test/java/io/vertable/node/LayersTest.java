package io.vertable.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packages' layers, read from the sources: a package imports only packages below it. {@code shared} is the
 * contract, {@code kit} what every verticle may use, {@code security} the doors' rules, then the verticles — which
 * never import one another — and at the top {@code node}, the launcher nothing imports.
 */
class LayersTest {

    private static final Map<String, Integer> LAYER = Map.of(
            "shared", 0,
            "kit", 1,
            "security", 2,
            "persistence", 3,
            "map", 3,
            "chat", 3,
            "dice", 3,
            "bridge", 3,
            "http", 3,
            "node", 4);

    private static final Pattern IMPORT =
            Pattern.compile("^import (?:static )?io\\.vertable\\.([a-z]+)\\.", Pattern.MULTILINE);

    @Test
    void everyPackageImportsOnlyPackagesBelowIt() throws IOException {
        Path root = Path.of("src", "main", "java", "io", "vertable");
        List<String> upward = new ArrayList<>();
        try (Stream<Path> sources = Files.walk(root)) {
            for (Path source :
                    sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                String own = root.relativize(source).getName(0).toString();
                assertThat(LAYER).as("a layer for package " + own).containsKey(own);
                Matcher imported = IMPORT.matcher(Files.readString(source));
                while (imported.find()) {
                    String other = imported.group(1);
                    if (other.equals(own)) continue;
                    assertThat(LAYER).as("a layer for package " + other).containsKey(other);
                    if (LAYER.get(other) >= LAYER.get(own)) upward.add(root.relativize(source) + " imports " + other);
                }
            }
        }
        assertThat(upward).isEmpty();
    }
}
