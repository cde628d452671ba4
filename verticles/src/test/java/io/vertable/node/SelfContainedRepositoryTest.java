package io.vertable.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Someone who clones the repository has only the repository: no design file outside it, no team notes, no issue
 * tracker. A reference to any of those is a dead end for them, so the build fails on one. Links between the project's
 * own documents must resolve too.
 */
class SelfContainedRepositoryTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Set<String> SKIPPED_FOLDERS =
            Set.of(".git", "target", "node_modules", "dist", "data", "results", ".idea", ".vscode");
    private static final Set<String> TEXT = Set.of(
            "java",
            "js",
            "mjs",
            "svelte",
            "md",
            "yaml",
            "yml",
            "json",
            "xml",
            "sql",
            "html",
            "css",
            "sh",
            "properties");
    private static final Pattern OUTSIDE = Pattern.compile(
            "DESIGN §|DESIGN\\.md|\\.\\./shared|\\bnotes/[a-z-]+\\.md|\\b[Ii]ssues? #?\\d+\\b|\\bissue #\\d");
    private static final Pattern MARKDOWN_LINK = Pattern.compile("\\]\\(([^)#\\s]+)(#[^)]*)?\\)");

    @Test
    void nothingPointsOutsideTheRepository() throws IOException {
        List<String> found = new ArrayList<>();
        for (Path file : projectFiles()) {
            List<String> lines = lines(file);
            for (int i = 0; i < lines.size(); i++) {
                if (OUTSIDE.matcher(lines.get(i)).find())
                    found.add(ROOT.relativize(file) + ":" + (i + 1) + ": "
                            + lines.get(i).strip());
            }
        }
        assertThat(found)
                .as("references to files or trackers outside the repository")
                .isEmpty();
    }

    @Test
    void linksBetweenTheProjectsDocumentsResolve() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path file : projectFiles()) {
            if (!file.toString().endsWith(".md")) continue;
            var matcher = MARKDOWN_LINK.matcher(String.join("\n", lines(file)));
            while (matcher.find()) {
                String target = matcher.group(1);
                if (target.matches("[a-z]+:.*")) continue; // a web address
                if (!Files.exists(file.getParent().resolve(target).normalize())) {
                    broken.add(ROOT.relativize(file) + " → " + target);
                }
            }
        }
        assertThat(broken).as("links to files that do not exist").isEmpty();
    }

    private static List<Path> projectFiles() throws IOException {
        try (Stream<Path> walk = Files.walk(ROOT)) {
            return walk.filter(Files::isRegularFile)
                    .filter(file -> ROOT.relativize(file).toString().split("/").length > 0)
                    .filter(file -> {
                        for (Path part : ROOT.relativize(file))
                            if (SKIPPED_FOLDERS.contains(part.toString())) return false;
                        String name = file.getFileName().toString();
                        int dot = name.lastIndexOf('.');
                        return name.equals("run") || (dot > 0 && TEXT.contains(name.substring(dot + 1)));
                    })
                    .filter(file -> !file.getFileName().toString().equals("package-lock.json"))
                    .filter(file -> !file.getFileName()
                            .toString()
                            .equals(SelfContainedRepositoryTest.class.getSimpleName() + ".java"))
                    .toList();
        }
    }

    private static List<String> lines(Path file) throws IOException {
        try {
            return Files.readAllLines(file);
        } catch (MalformedInputException binary) {
            return List.of();
        }
    }
}
