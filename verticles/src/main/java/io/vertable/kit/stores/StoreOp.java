package io.vertable.kit.stores;

/** One operation of a persistence store: its name on the wire, shared by the store's client and the store itself. */
public interface StoreOp {
    String wire();

    /**
     * Safe to send a second time while the first may still be running: a read, or a write the store fences (an append
     * is refused once its seqs exist) or makes idempotent. Such a call is sent again when the persistence instance it
     * may have gone to announces that it stopped.
     */
    default boolean resendable() {
        return false;
    }
}
