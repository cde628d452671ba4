package io.vertable.bridge;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;

/**
 * A bridge frame as the WebSocket bytes a server sends for it: what Vert.x writes for
 * {@code ServerWebSocket.writeBinaryMessage} (unmasked binary frames, split into a first frame and continuations of at
 * most {@code maxFrameSize} payload bytes each). Built once per message, the same bytes go to every raw-WebSocket socket
 * of a stream (server frames carry no mask, so they are the same for every socket).
 */
final class WebSocketFrames {

    private static final int FIN = 0x80;
    private static final int BINARY = 0x2;
    private static final int CONTINUATION = 0x0;

    private WebSocketFrames() {}

    /** The message's frames in one direct buffer (the socket writes it without another copy); the caller owns it. */
    static ByteBuf binary(Buffer payload, int maxFrameSize) {
        byte[] data = payload.getBytes();
        int length = data.length;
        int frames = Math.max(1, (length + maxFrameSize - 1) / maxFrameSize);
        ByteBuf out = Unpooled.directBuffer(length + frames * 10);
        int offset = 0;
        int left = length;
        for (int i = 0; i < frames; i++) {
            int size = Math.min(left, maxFrameSize);
            boolean last = i == frames - 1;
            out.writeByte((last ? FIN : 0) | (i == 0 ? BINARY : CONTINUATION));
            writeLength(out, size);
            out.writeBytes(data, offset, size);
            offset += size;
            left -= size;
        }
        return out;
    }

    private static void writeLength(ByteBuf out, int size) {
        if (size <= 125) {
            out.writeByte(size);
        } else if (size <= 0xFFFF) {
            out.writeByte(126);
            out.writeShort(size);
        } else {
            out.writeByte(127);
            out.writeLong(size);
        }
    }
}
