package io.vertable.shared;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertable.shared.wire.ErrorCode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonLimitsTest {

    private static int depth(String text) {
        return JsonLimits.depthOfText(Buffer.buffer(text), 1_000_000);
    }

    @Test
    void textDepthCountsObjectsAndArraysOutsideStrings() {
        assertThat(depth("1")).isZero();
        assertThat(depth("{}")).isEqualTo(1);
        assertThat(depth("{\"a\":[[1],{\"b\":[]}]}")).isEqualTo(4);
        assertThat(depth("{\"a\":\"[[[{{{\"}")).isEqualTo(1);
        assertThat(depth("{\"a\":\"\\\"[[[\"}"))
                .as("an escaped quote does not end the string")
                .isEqualTo(1);
        assertThat(depth("{\"a\":\"\\\\\",\"b\":[[1]]}"))
                .as("an escaped backslash before the closing quote does")
                .isEqualTo(3);
        assertThat(depth("{\"ключ\":\"値[\",\"b\":[\"😀\"]}"))
                .as("multi-byte characters")
                .isEqualTo(2);
    }

    @Test
    void textOverTheLimitIsRefusedWithoutReadingItAll() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        assertThat(JsonLimits.depthOfText(Buffer.buffer(deep), 32)).isEqualTo(33);
        assertThat(JsonLimits.checkText(Buffer.buffer(deep)).code()).isEqualTo(ErrorCode.JSON_TOO_DEEP);
        assertThat(JsonLimits.checkText(Buffer.buffer(nestedText(32)))).isNull();
        assertThat(JsonLimits.checkText(Buffer.buffer(nestedText(33))).code()).isEqualTo(ErrorCode.JSON_TOO_DEEP);
    }

    @Test
    void parsedDepthIsWalkedWithoutRecursionHoweverDeep() {
        JsonObject root = new JsonObject();
        JsonObject level = root;
        for (int i = 1; i < 200_000; i++) {
            JsonObject next = new JsonObject();
            level.put("a", i % 2 == 0 ? next : new JsonArray().add(1).add(next));
            level = next;
        }
        // Far deeper than any thread's stack could recurse: the walk has a stack of its own.
        assertThat(JsonLimits.depthOf(root, Integer.MAX_VALUE)).isEqualTo(300_000);
        assertThat(JsonLimits.depthOf(root, 32)).isEqualTo(33);
        assertThat(JsonLimits.check(root).code()).isEqualTo(ErrorCode.JSON_TOO_DEEP);
    }

    @Test
    void parsedDepthCountsEveryKindOfContainerAndStopsAtTheLimit() {
        assertThat(JsonLimits.depthOf("text", 32)).isZero();
        assertThat(JsonLimits.depthOf(new JsonObject(nestedText(32)), 100)).isEqualTo(32);
        assertThat(JsonLimits.check(new JsonObject(nestedText(32)))).isNull();
        assertThat(JsonLimits.check(new JsonObject(nestedText(33))).code()).isEqualTo(ErrorCode.JSON_TOO_DEEP);
        List<Object> raw = new ArrayList<>(List.of(Map.of("k", List.of(Map.of()))));
        assertThat(JsonLimits.depthOf(new JsonObject().put("raw", new JsonArray(raw)), 100))
                .isEqualTo(5);
        JsonObject wide = new JsonObject();
        for (int i = 0; i < 10_000; i++) wide.put("k" + i, new JsonArray().add(i));
        assertThat(JsonLimits.depthOf(wide, 32)).isEqualTo(2);
    }

    @Test
    void storageAllowsTheFewLevelsARequestWrapsAroundAValue() {
        JsonObject request = new JsonObject().put("op", "import").put("document", new JsonObject(nestedText(32)));
        assertThat(JsonLimits.check(request)).isNotNull();
        assertThat(JsonLimits.checkStored(request)).isNull();
        assertThat(JsonLimits.checkStored(new JsonObject(nestedText(JsonLimits.MAX_STORED_DEPTH + 1))))
                .isNotNull();
    }

    @Test
    void textPostgresCannotStoreIsRefusedInValuesAndKeys() {
        assertThat(JsonLimits.check(new JsonObject().put("a", "nul\u0000")).code())
                .isEqualTo(ErrorCode.BAD_REQUEST);
        assertThat(JsonLimits.check(new JsonObject().put("a", new JsonArray().add("lone \ud800"))))
                .isNotNull();
        assertThat(JsonLimits.check(new JsonObject().put("\udc00", 1))).isNotNull();
        assertThat(JsonLimits.check(new JsonObject().put("a", "pair \ud83d\ude00, bidi \u202e, zero-width \u200b")))
                .isNull();
    }

    /** {"a":{"a":…1…}} nested {@code depth} objects deep. */
    static String nestedText(int depth) {
        return "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
    }
}
