package io.vertable.shared.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertable.shared.chat.ChatCommand.Kind;
import io.vertable.shared.wire.ErrorCode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChatCommandsTest {

    @Test
    void plainTextIsSaidAsTyped() {
        ChatCommand said = parse("  Hello <b>there</b> & welcome  ");
        assertThat(said.kind()).isEqualTo(Kind.SAY);
        assertThat(said.text()).isEqualTo("Hello <b>there</b> & welcome");
    }

    @ParameterizedTest
    @CsvSource({
        "/r 1d20+5, PUBLIC",
        "/roll 1d20+5, PUBLIC",
        "/pr 1d20+5, PUBLIC",
        "/gmroll 1d20+5, GM",
        "/gr 1d20+5, GM",
        "/gmr 1d20+5, GM",
        "/br 1d20+5, BLIND",
        "/blindroll 1d20+5, BLIND",
        "/sr 1d20+5, SELF",
        "/SR 1d20+5, SELF"
    })
    void rollCommandsChooseTheirMode(String line, RollMode mode) {
        ChatCommand roll = parse(line);
        assertThat(roll.kind()).isEqualTo(Kind.ROLL);
        assertThat(roll.mode()).isEqualTo(mode);
        assertThat(roll.text()).isEqualTo("1d20+5");
    }

    @Test
    void flavourFollowsAHash() {
        ChatCommand roll = parse("/r 2d6 + 3 # longsword, two hands");
        assertThat(roll.text()).isEqualTo("2d6 + 3");
        assertThat(roll.flavor()).isEqualTo("longsword, two hands");
        assertThat(parse("/r 1d4 #").flavor()).isNull();
    }

    @Test
    void emotesOocNarrationAndSpeakers() {
        assertThat(parse("/me waves").kind()).isEqualTo(Kind.EMOTE);
        assertThat(parse("/em waves").text()).isEqualTo("waves");
        assertThat(parse("/ooc back in 5").kind()).isEqualTo(Kind.OOC);
        ChatCommand desc = parse("/desc Rain falls.");
        assertThat(desc.kind()).isEqualTo(Kind.DESC);
        assertThat(desc.kind().gmOnly()).isTrue();
        ChatCommand as = parse("/as \"Old Tom\" Welcome!");
        assertThat(as.speaker()).isEqualTo("Old Tom");
        assertThat(as.text()).isEqualTo("Welcome!");
        assertThat(parse("/as Guard Halt!").speaker()).isEqualTo("Guard");
    }

    @Test
    void whispersNameOneOrSeveral() {
        assertThat(parse("/w Quin hi there").recipients()).containsExactly("Quin");
        assertThat(parse("/w Quin hi there").text()).isEqualTo("hi there");
        assertThat(parse("/w \"Sir Quin\" hi").recipients()).containsExactly("Sir Quin");
        assertThat(parse("/w [Quin, Sir Pip , gm] hi").recipients()).containsExactly("Quin", "Sir Pip", "gm");
        assertThat(parse("/whisper quin,pip hi").recipients()).containsExactly("quin", "pip");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "/w|say whom",
                "/w Quin|empty",
                "/w \"Quin hi|closing quote",
                "/w [Quin hi|closing ]",
                "/me|needs some text",
                "/r|needs a dice expression",
                "/r # just flavour|needs a dice expression",
                "/as \"\" hi|1 to 64",
                "/as Tom|after the name",
                "/dance|unknown chat command /dance",
                "'   '|empty"
            })
    void badLinesSayWhatIsWrong(String line, String says) {
        ChatCommands.Parsed parsed = ChatCommands.parse(line);
        assertThat(parsed.ok()).isFalse();
        assertThat(parsed.failure().code()).isEqualTo(ErrorCode.BAD_REQUEST);
        assertThat(parsed.failure().message()).contains(says);
    }

    @Test
    void controlCharactersAreRefusedWithTheirPositionButLineBreaksAreText() {
        ChatCommands.Parsed bell = ChatCommands.parse("ding\u0007dong");
        assertThat(bell.failure().message()).isEqualTo("control character at position 4");
        assertThat(ChatCommands.parse("a\u202Eb").ok()).isFalse();
        assertThat(ChatCommands.parse("a\u2066b").ok()).isFalse();
        assertThat(ChatCommands.parse("one\ntwo\tthree").ok()).isTrue();
        assertThat(ChatCommands.controlCharacter("fine")).isEqualTo(-1);
    }

    @Test
    void longMessagesAreTooLarge() {
        assertThat(ChatCommands.parse("x".repeat(ChatCommands.MAX_TEXT)).ok()).isTrue();
        ChatCommands.Parsed tooLong = ChatCommands.parse("x".repeat(ChatCommands.MAX_TEXT + 1));
        assertThat(tooLong.failure().code()).isEqualTo(ErrorCode.PAYLOAD_TOO_LARGE);
        assertThat(ChatCommands.parse(null).ok()).isFalse();
    }

    @Test
    void onlyGmsNarrate() {
        assertThat(List.of(Kind.values()).stream().filter(Kind::gmOnly)).containsExactly(Kind.DESC, Kind.AS);
    }

    private static ChatCommand parse(String line) {
        ChatCommands.Parsed parsed = ChatCommands.parse(line);
        assertThat(parsed.failure()).as(line).isNull();
        return parsed.command();
    }
}
