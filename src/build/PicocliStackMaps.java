import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;

/**
 * Build step (run by the pom after the shade plugin, as a single-file source program with ASM on
 * its class path; not part of the product): rewrites picocli's class files in the shaded jar from
 * Java 5 (version 49, no stack map tables) to Java 8 (version 52) with the stack map frames ASM
 * computes. The bytecode of the methods is otherwise the same.
 *
 * <p>Why: the JVM checks a Java 5 class with the old type-inferring verifier, which the class-data
 * archive cannot do ahead of time, so every run verified and linked the picocli classes it used
 * (all of them nested in picocli.CommandLine) while building the invoked command's model. A class
 * file with stack map frames is verified and linked once, when the archive is made.
 *
 * <p>Afterwards every rewritten class is loaded and initialised from the new jar in a class loader
 * of its own, with the verifier on: a frame ASM got wrong fails the build here (VerifyError)
 * rather than a user's run.
 *
 * <p>Usage: {@code java -cp asm.jar src/build/PicocliStackMaps.java target/rbac-synth.jar}
 */
public final class PicocliStackMaps {

  private static final int JAVA_8 = 52;

  public static void main(String[] args) throws Exception {
    Path jar = Path.of(args[0]);
    Path tmp = jar.resolveSibling(jar.getFileName() + ".stackmaps");
    List<String> rewritten = new ArrayList<>();
    int withFrames = 0; // an incremental build's jar can hold the previous build's rewritten classes
    try (ZipFile in = new ZipFile(jar.toFile());
        URLClassLoader original =
            new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
        OutputStream file = Files.newOutputStream(tmp);
        ZipOutputStream out = new ZipOutputStream(file)) {
      Enumeration<? extends ZipEntry> entries = in.entries();
      while (entries.hasMoreElements()) {
        ZipEntry entry = entries.nextElement();
        byte[] bytes;
        try (InputStream content = in.getInputStream(entry)) {
          bytes = content.readAllBytes();
        }
        String name = entry.getName();
        if (name.startsWith("picocli/") && name.endsWith(".class")) {
          byte[] newer = withStackMaps(bytes, original);
          if (newer != bytes) {
            bytes = newer;
            rewritten.add(name.substring(0, name.length() - ".class".length()).replace('/', '.'));
          } else {
            withFrames++;
          }
        }
        ZipEntry copy = new ZipEntry(name);
        copy.setTime(entry.getTime());
        out.putNextEntry(copy);
        out.write(bytes);
        out.closeEntry();
      }
    }
    check(tmp, rewritten);
    Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    System.out.println(
        "picocli stack maps: "
            + rewritten.size()
            + " class files of "
            + jar
            + " rewritten to version 52 with frames, "
            + withFrames
            + " had frames already");
  }

  /** The class file as version 52 with computed frames; the same array when it is 50 or newer. */
  static byte[] withStackMaps(byte[] bytes, ClassLoader types) {
    ClassReader reader = new ClassReader(bytes);
    int major = reader.readUnsignedShort(6);
    if (major >= 50) {
      return bytes;
    }
    ClassWriter writer =
        new ClassWriter(ClassWriter.COMPUTE_FRAMES) {
          @Override
          protected ClassLoader getClassLoader() {
            return types; // the frames' common supertypes are picocli's and the JDK's classes
          }
        };
    reader.accept(
        new ClassVisitor(Opcodes.ASM9, writer) {
          @Override
          public void visit(
              int version,
              int access,
              String name,
              String signature,
              String superName,
              String[] interfaces) {
            super.visit(JAVA_8, access, name, signature, superName, interfaces);
          }
        },
        ClassReader.SKIP_FRAMES);
    return writer.toByteArray();
  }

  /** Loads and initialises every rewritten class with the verifier on; a VerifyError fails. */
  private static void check(Path jar, List<String> classes) throws IOException {
    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
      for (String name : classes) {
        try {
          Class.forName(name, true, loader);
        } catch (VerifyError | ClassFormatError e) {
          throw new IllegalStateException("rewritten " + name + " does not verify: " + e, e);
        } catch (ClassNotFoundException | LinkageError | RuntimeException e) {
          // a class whose initialiser needs more than loading (none in picocli 4.7) is verified anyway
          System.out.println("picocli stack maps: note: " + name + ": " + e);
        }
      }
    }
  }
}
