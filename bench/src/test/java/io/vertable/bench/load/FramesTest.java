package io.vertable.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FramesTest {

    @Test
    void engineIoAndSocketIoFramesAreClassified() {
        assertEquals(Frames.EioKind.OPEN, Frames.classify("0{\"sid\":\"x\",\"pingInterval\":25000}"));
        assertEquals(Frames.EioKind.PING, Frames.classify("2"));
        assertEquals(Frames.EioKind.CONNECTED, Frames.classify("40{\"sid\":\"y\"}"));
        assertEquals(Frames.EioKind.CONNECT_ERROR, Frames.classify("44{\"message\":\"no\"}"));
        assertEquals(Frames.EioKind.EVENT, Frames.classify("42[\"move\",{}]"));
        assertEquals(Frames.EioKind.CLOSE, Frames.classify("41"));
        assertEquals(Frames.EioKind.OTHER, Frames.classify(""));
        assertEquals("40", Frames.sioConnect());
        assertEquals("3", Frames.eioPong());
    }

    @Test
    void aMoveSurvivesTheSocketIoEnvelope() {
        String move = Frames.move("room-1", 7, 42, 3, 1234.567, "pp");
        String frame = Frames.sioEvent("move", move);
        assertEquals("42[\"move\"," + move + "]", frame);
        assertEquals("move", Frames.sioEventName(frame));
        assertEquals(7, Frames.number(frame, "s"));
        assertEquals(42, Frames.number(frame, "q"));
        assertEquals(3, Frames.number(frame, "p"));
        assertEquals(1234.567, Frames.number(frame, "t"));
        assertEquals("room-1", Frames.string(frame, "r"));
    }

    @Test
    void bridgeFramesAreReadWithoutATree() {
        String rec = "{\"type\":\"rec\",\"address\":\"vtt.room.r1\",\"body\":{\"type\":\"live\",\"op\":\"drag\","
                + "\"from\":\"u9\",\"name\":\"P\",\"x\":12.0,\"y\":1.5E3,\"tokenId\":\"p4\"}}";
        int body = rec.indexOf("\"body\"");
        assertEquals("vtt.room.r1", Frames.string(rec, "address"));
        assertEquals("live", Frames.string(rec, "type", body));
        assertEquals("u9", Frames.string(rec, "from", body));
        assertEquals(12, Frames.number(rec, "x", body));
        assertEquals(1500, Frames.number(rec, "y", body));
        assertTrue(Double.isNaN(Frames.number(rec, "missing")));
        assertNull(Frames.string(rec, "x"));
        assertEquals(
                "{\"type\":\"send\",\"address\":\"vtt.in.live\",\"body\":{},\"replyAddress\":\"r1\"}",
                Frames.bridgeSend("vtt.in.live", "{}", "r1"));
    }

    @Test
    void timesAreRoundedToMicroseconds() {
        assertEquals(1.235, Frames.roundMicros(1.23456));
    }
}
