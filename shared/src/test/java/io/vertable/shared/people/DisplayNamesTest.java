package io.vertable.shared.people;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DisplayNamesTest {

    @Test
    void ordinaryNamesInAnyScriptAreAccepted() {
        for (String name :
                new String[] {"Alice", "Bob (rogue)", "Zoë", "Ёжик", "李小龍", "Ana-María O'Neil", "🐉 Smaug"}) {
            assertThat(DisplayNames.refusal(name)).as(name).isEmpty();
        }
        assertThat(DisplayNames.normalized("  Zoe\u0308 ")).isEqualTo("Zoë");
    }

    @Test
    void invisibleAndDirectionalTricksAreRefused() {
        assertThat(DisplayNames.refusal("Al\u200Bice"))
                .contains("a display name must not contain invisible characters");
        assertThat(DisplayNames.refusal("Al\u200Dice")).isPresent();
        assertThat(DisplayNames.refusal("\uFEFFAlice")).isPresent();
        assertThat(DisplayNames.refusal("Alice\u202Eevil"))
                .contains("a display name must not contain bidirectional control characters");
        assertThat(DisplayNames.refusal("Alice\u2066x\u2069")).isPresent();
        assertThat(DisplayNames.refusal("Ali\u0007ce")).contains("a display name must not contain control characters");
        assertThat(DisplayNames.refusal("Ali\u00A0ce")).isPresent();
        assertThat(DisplayNames.refusal("Ali\u2028ce")).isPresent();
        assertThat(DisplayNames.refusal("\uE000Alice"))
                .contains("a display name must not contain private-use characters");
        assertThat(DisplayNames.refusal("Ali\uD800ce")).isPresent();
    }

    @Test
    void lengthCountsCharactersNotCodeUnits() {
        assertThat(DisplayNames.refusal("")).isPresent();
        assertThat(DisplayNames.refusal("   ")).isPresent();
        assertThat(DisplayNames.refusal(null)).isPresent();
        assertThat(DisplayNames.refusal("🐉".repeat(40))).isEmpty();
        assertThat(DisplayNames.refusal("a".repeat(41))).contains("a display name is 1 to 40 characters");
    }

    @Test
    void namesThatLookAlikeAreOneName() {
        assertThat(DisplayNames.lookAlike("Alice", "alice")).isTrue();
        assertThat(DisplayNames.lookAlike("Alice", "ALICE ")).isTrue();
        assertThat(DisplayNames.lookAlike("Alice", "\u0410lice"))
                .as("Cyrillic A")
                .isTrue();
        assertThat(DisplayNames.lookAlike("Paypal", "PayPaI"))
                .as("capital I for l")
                .isTrue();
        assertThat(DisplayNames.lookAlike("Ｂｏｂ", "bob")).as("full-width").isTrue();
        assertThat(DisplayNames.lookAlike("Alice", "Alicia")).isFalse();
        assertThat(DisplayNames.lookAlike("Bob", "Rob")).isFalse();
    }
}
