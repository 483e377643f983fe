package dev.stockade.images;

/**
 * A reference found in a text (a unit, a manifest), before it is placed in the file: {@code
 * offset} counts characters from the start of that text.
 */
record Hit(String reference, int offset, String where) {}
