package dev.stockade.net;

/** Text that should have been an address, prefix or port is not; the message is meant for users. */
public final class AddressFormatException extends IllegalArgumentException {
    public AddressFormatException(String message) {
        super(message);
    }
}
