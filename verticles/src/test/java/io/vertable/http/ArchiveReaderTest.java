package io.vertable.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertable.shared.wire.ErrorCode;
import io.vertable.shared.wire.FailureException;
import io.vertable.shared.wire.RoomArchive;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

/** The archive reader's limits and checks, each one alone, on archives built here (no server). */
class ArchiveReaderTest {

    static final ArchiveLimits LIMITS = new ArchiveLimits(1 << 20, 20, 64 * 1024, 256 * 1024, 100, 10, 16 * 1024);

    @Test
    void aWellFormedArchiveBecomesTheDocumentTheJsonImportTakes() throws IOException {
        JsonObject document = ArchiveReader.read(zip(signed(valid(3))), LIMITS);
        assertThat(document.getString("format")).isEqualTo("vertable-room/1");
        assertThat(document.getJsonObject("room").getString("name")).isEqualTo("Keep");
        assertThat(document.getJsonArray("events")).hasSize(3);
        assertThat(document.getJsonArray("characters")).hasSize(1);
        assertThat(document.getJsonArray("assets")).isEmpty();
    }

    @Test
    void unsafeNamesAreRefusedWhateverTheirShape() {
        for (String name :
                new String[] {"../x", "a/../../x", "/etc/passwd", "C:/x", "a\\..\\x", "./x", "images/\u0000.png"}) {
            assertThat(RoomArchive.isSafeName(name)).as(name).isFalse();
        }
        assertThat(RoomArchive.isSafeName("events/000001.jsonl")).isTrue();
        assertThat(RoomArchive.isSafeName("images/a-b_C.png")).isTrue();
    }

    @Test
    void eachLimitIsHeldAgainstTheBytesReallyRead() throws IOException {
        Map<String, byte[]> tooMany = signed(valid(1));
        for (int i = 0; i < LIMITS.maxEntries(); i++) tooMany.put("images/x" + i + ".png", new byte[1]);
        refused(zip(tooMany), ErrorCode.ARCHIVE_TOO_LARGE, "entries");

        Map<String, byte[]> bigEntry = signed(valid(1));
        bigEntry.put("notes.json", ("\"" + "a".repeat(70 * 1024) + "\"").getBytes(StandardCharsets.UTF_8));
        refused(zip(bigEntry), ErrorCode.ARCHIVE_TOO_LARGE, "the entry 'notes.json' unpacks to more than");

        Map<String, byte[]> bigTotal = signed(valid(1));
        for (int i = 0; i < 5; i++) bigTotal.put("events/00000" + (i + 2) + ".jsonl", randomText(60 * 1024, i));
        refused(zip(bigTotal), ErrorCode.ARCHIVE_TOO_LARGE, "unpacks to more than 262144 bytes");

        refused(zip(signed(valid(11))), ErrorCode.ARCHIVE_TOO_LARGE, "more than 10 events");

        assertThatThrownBy(() -> ArchiveReader.read(Buffer.buffer(new byte[(1 << 20) + 1]), LIMITS))
                .isInstanceOf(FailureException.class)
                .extracting(e -> ((FailureException) e).failure().code())
                .isEqualTo(ErrorCode.ARCHIVE_TOO_LARGE);
    }

    @Test
    void theManifestMustListEveryEntryAndEveryListedEntryMustBeThere() throws IOException {
        Map<String, byte[]> unlisted = signed(valid(1));
        unlisted.put("notes.json", "{}".getBytes(StandardCharsets.UTF_8));
        refused(zip(unlisted), ErrorCode.ARCHIVE_CHECKSUM_MISMATCH, "'notes.json' is not in the manifest");

        Map<String, byte[]> missing = signed(valid(1));
        missing.remove("sheets.json");
        refused(zip(missing), ErrorCode.ARCHIVE_CHECKSUM_MISMATCH, "'sheets.json' the manifest lists is missing");

        Map<String, byte[]> noManifest = valid(1);
        refused(zip(noManifest), ErrorCode.ARCHIVE_INVALID, "no manifest.json");

        Map<String, byte[]> unknown = valid(1);
        unknown.put("extra/readme.txt", new byte[] {1});
        refused(zip(signed(unknown)), ErrorCode.ARCHIVE_INVALID, "not part of format version 1");
    }

    @Test
    void aFileThatIsNotAZipOrAnEmptyOneIsRefusedAsInvalid() throws IOException {
        refused(Buffer.buffer("PK\u0003\u0004 garbage"), ErrorCode.ARCHIVE_INVALID, "");
        refused(zip(new LinkedHashMap<>()), ErrorCode.ARCHIVE_INVALID, "empty");
    }

    // ---- archives ----

    /** A manifest-less archive: a room of {@code events} token moves after a scene and a token, and one sheet. */
    private static Map<String, byte[]> valid(int events) {
        StringBuilder log = new StringBuilder();
        for (int seq = 1; seq <= events; seq++) {
            log.append(new JsonObject()
                            .put("seq", seq)
                            .put("type", "scene.created")
                            .put("data", new JsonObject().put("sceneId", "s" + seq)))
                    .append('\n');
        }
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("events/000001.jsonl", log.toString().getBytes(StandardCharsets.UTF_8));
        entries.put(
                "sheets.json",
                new JsonArray()
                        .add(new JsonObject().put("name", "Vala"))
                        .encode()
                        .getBytes(StandardCharsets.UTF_8));
        return entries;
    }

    /** The entries with a manifest listing each one's true checksum. */
    private static Map<String, byte[]> signed(Map<String, byte[]> entries) {
        JsonObject sums = new JsonObject();
        entries.forEach((name, bytes) -> sums.put(name, AssetRoutes.sha256(bytes)));
        Map<String, byte[]> copy = new LinkedHashMap<>(entries);
        copy.put(
                "manifest.json",
                new JsonObject()
                        .put("format", RoomArchive.FORMAT)
                        .put("version", RoomArchive.VERSION)
                        .put("room", new JsonObject().put("name", "Keep"))
                        .put("entries", sums)
                        .encode()
                        .getBytes(StandardCharsets.UTF_8));
        return copy;
    }

    private static Buffer zip(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return Buffer.buffer(out.toByteArray());
    }

    /** Text that deflates poorly, so the total limit trips before the ratio does. */
    private static byte[] randomText(int length, long seed) {
        java.util.Random random = new java.util.Random(seed);
        byte[] text = new byte[length];
        for (int i = 0; i < length; i++) text[i] = (byte) ('a' + random.nextInt(26));
        return text;
    }

    private static void refused(Buffer archive, ErrorCode code, String detail) {
        assertThatThrownBy(() -> ArchiveReader.read(archive, LIMITS))
                .isInstanceOf(FailureException.class)
                .hasMessageContaining(detail)
                .extracting(e -> ((FailureException) e).failure().code())
                .isEqualTo(code);
    }
}
