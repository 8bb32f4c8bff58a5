package dev.vibed.core.archive;

/**
 * An entry that passed every check, with what the walker still needs to handle its content.
 *
 * @param rawName      the name as stored in the archive, for messages
 * @param path         the normalised path
 * @param declaredSize what the header claims the content expands to (checked again against the bytes read)
 * @param executable   the owner-execute bit, the only mode bit we carry over
 */
record AcceptedEntry(String rawName, String path, ArchiveEntry.Kind kind, String linkTarget, long declaredSize, boolean executable) {
}
