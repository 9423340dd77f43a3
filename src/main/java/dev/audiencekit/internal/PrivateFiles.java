package dev.audiencekit.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files and folders that hold personal data (events carry emails and IP addresses): created readable
 * and writable by the server's user only, files {@code 0600} in folders {@code 0700}, where the file
 * system has POSIX permissions; elsewhere as the platform creates them. The permissions are given at
 * creation, so there is no moment in which another user could open the file. What exists already is
 * left as it is, except a folder the library owns ({@link #ownFolder}).
 */
public final class PrivateFiles {
  private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");

  private PrivateFiles() {}

  /** Creates {@code folder} and its missing parents, each one created {@code 0700}. */
  public static Path createFolders(Path folder) throws IOException {
    return posix(folder) ? Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(FOLDER))
        : Files.createDirectories(folder);
  }

  /**
   * Creates {@code folder} like {@link #createFolders}, and, as the library owns it, makes it
   * {@code 0700} when it existed already.
   *
   * @return false when it existed with wider permissions that could not be narrowed (another owner)
   */
  public static boolean ownFolder(Path folder) throws IOException {
    createFolders(folder);
    if (!posix(folder)) {
      return true;
    }
    if (Files.getPosixFilePermissions(folder).equals(FOLDER)) {
      return true;
    }
    try {
      Files.setPosixFilePermissions(folder, FOLDER);
      return true;
    } catch (IOException | SecurityException e) {
      return false;
    }
  }

  /** Opens {@code file} with {@code options}; when they create it, it is created {@code 0600}. */
  public static FileChannel open(Path file, OpenOption... options) throws IOException {
    return FileChannel.open(file, Set.of(options), fileAttributes(file));
  }

  /** An output stream on {@link #open}{@code (file, options)}. */
  public static OutputStream newOutputStream(Path file, OpenOption... options) throws IOException {
    return Channels.newOutputStream(open(file, options));
  }

  private static FileAttribute<?>[] fileAttributes(Path file) {
    return posix(file) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE)} : new FileAttribute<?>[0];
  }

  private static boolean posix(Path path) {
    return path.getFileSystem().supportedFileAttributeViews().contains("posix");
  }
}
