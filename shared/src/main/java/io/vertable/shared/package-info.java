/**
 * The contract every verticle and client shares: event-bus addresses, verticle names, the error-code catalog. Pure
 * code only — no I/O — so it can be tested alone and read as the system's vocabulary.
 */
package io.vertable.shared;
