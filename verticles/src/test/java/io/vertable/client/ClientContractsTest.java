package io.vertable.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertable.shared.wire.Addresses;
import io.vertable.shared.wire.ErrorCode;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The browser client speaks the server's contracts, read from its sources: its one error vocabulary names only codes of
 * the catalog (or its own, declared ones), its one address module names exactly the server's inbound addresses, and
 * nothing else spells them or defines a second {@code el()}.
 */
class ClientContractsTest {

    static final Path SRC = Path.of("..", "webroot", "src");

    @Test
    void theErrorVocabularyNamesOnlyCatalogCodesOrDeclaredClientOnes() throws IOException {
        String errors = Files.readString(SRC.resolve("common/messages.js"));
        Set<String> keys = keysOf(block(errors, "export const MESSAGES = {", "};"));
        Set<String> clientCodes = quoted(block(errors, "export const CLIENT_CODES = new Set([", "]);"));
        Set<String> catalog =
                Arrays.stream(ErrorCode.values()).map(Enum::name).collect(Collectors.toCollection(TreeSet::new));

        assertThat(keys).as("the vocabulary has entries").isNotEmpty();
        assertThat(clientCodes).as("client-only codes are not catalog codes").doesNotContainAnyElementsOf(catalog);
        List<String> unknown = keys.stream()
                .filter(key -> !catalog.contains(key) && !clientCodes.contains(key))
                .toList();
        assertThat(unknown)
                .as("codes in MESSAGES that the server's catalog does not have")
                .isEmpty();
    }

    @Test
    void everyArchiveAndImageRefusalHasAdviceForThePerson() throws IOException {
        Set<String> keys =
                keysOf(block(Files.readString(SRC.resolve("common/messages.js")), "export const MESSAGES = {", "};"));
        List<String> needAdvice = Arrays.stream(ErrorCode.values())
                .map(Enum::name)
                .filter(name -> name.startsWith("ARCHIVE_") || name.equals("ASSET_NOT_AN_IMAGE"))
                .toList();
        assertThat(needAdvice).hasSizeGreaterThanOrEqualTo(6);
        assertThat(keys)
                .as("what an import or upload refusal tells the person to do")
                .containsAll(needAdvice);
    }

    @Test
    void theAddressModuleNamesExactlyTheServersInboundAddresses() throws Exception {
        Set<String> client =
                quoted(block(Files.readString(SRC.resolve("table/addresses.js")), "export const IN = ", "};"));
        Set<String> server = new TreeSet<>();
        for (var field : Addresses.class.getFields()) {
            if (field.getName().startsWith("IN_") && Modifier.isStatic(field.getModifiers()))
                server.add((String) field.get(null));
        }
        assertThat(client).isEqualTo(server);
    }

    @Test
    void addressesAndTheDomKitAreSpelledOnce() throws IOException {
        List<String> addressLiterals = new ArrayList<>();
        List<String> elDefinitions = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SRC)) {
            for (Path file :
                    files.filter(p -> p.toString().matches(".*\\.(js|svelte)$")).toList()) {
                String text = Files.readString(file);
                String name = SRC.relativize(file).toString().replace('\\', '/');
                if (!name.equals("table/addresses.js") && text.contains("'vtt.in.")) addressLiterals.add(name);
                if (Pattern.compile("function el\\(").matcher(text).find()) elDefinitions.add(name);
            }
        }
        assertThat(addressLiterals).as("files spelling a 'vtt.in. address").isEmpty();
        assertThat(elDefinitions).as("files defining el()").containsExactly("common/el.js");
    }

    private static String block(String source, String start, String end) {
        int from = source.indexOf(start);
        assertThat(from).as("the source has " + start).isNotNegative();
        int to = source.indexOf(end, from + start.length());
        return source.substring(from + start.length(), to);
    }

    private static Set<String> keysOf(String body) {
        Set<String> keys = new TreeSet<>();
        Matcher key = Pattern.compile("^\\s*([A-Z_]+):", Pattern.MULTILINE).matcher(body);
        while (key.find()) keys.add(key.group(1));
        return keys;
    }

    private static Set<String> quoted(String body) {
        Set<String> values = new TreeSet<>();
        Matcher value = Pattern.compile("'([^']+)'").matcher(body);
        while (value.find()) values.add(value.group(1));
        return values;
    }
}
