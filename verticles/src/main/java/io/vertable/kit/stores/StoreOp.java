package io.vertable.kit.stores;

/** One operation of a persistence store: its name on the wire, shared by the store's client and the store itself. */
public interface StoreOp {
    String wire();
}
