package sh.eraser.testing;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Writes the two tiny static x86_64 Linux executables that the test images carry, from machine code
 * assembled by hand, so that building a test image needs neither a compiler nor a base image.
 *
 * <p>Each file is one 64-byte ELF header, one 56-byte {@code PT_LOAD} program header that maps the
 * whole file read+execute at {@link #BASE}, and the code right after them, at file offset 120.
 * There are no sections, no libc and no dynamic loader.
 */
public final class TinyElf {

  /** Virtual address the single segment is loaded at (the classic non-PIE base). */
  static final long BASE = 0x400000L;

  private static final int ELF_HEADER_SIZE = 64;
  private static final int PROGRAM_HEADER_SIZE = 56;
  private static final int CODE_OFFSET = ELF_HEADER_SIZE + PROGRAM_HEADER_SIZE;

  /** Offset of {@code handler} inside {@link #PAUSE_CODE}: the code run on SIGTERM or SIGINT. */
  private static final int PAUSE_HANDLER_OFFSET = 0x30;

  private static final int SA_RESTORER = 0x04000000;

  // _start:
  //   Installs one handler for SIGTERM and SIGINT that exits with status 0, as the Kubernetes pause
  //   container does. Without a handler, PID 1 of a PID namespace ignores SIGTERM, and a graceful
  //   StopContainer would always wait out its whole timeout.
  //   Then loops on pause(2), which returns only after a handled signal.
  private static final byte[] PAUSE_CODE = {
    // 0x00  b8 0d 00 00 00        mov eax, 13            ; rt_sigaction
    (byte) 0xb8,
    0x0d,
    0x00,
    0x00,
    0x00,
    // 0x05  bf 0f 00 00 00        mov edi, 15            ; SIGTERM
    (byte) 0xbf,
    0x0f,
    0x00,
    0x00,
    0x00,
    // 0x0a  48 8d 35 28 00 00 00  lea rsi, [rip+0x28]    ; &act (0x11 + 0x28 = 0x39)
    0x48,
    (byte) 0x8d,
    0x35,
    0x28,
    0x00,
    0x00,
    0x00,
    // 0x11  31 d2                 xor edx, edx           ; no old action wanted
    0x31,
    (byte) 0xd2,
    // 0x13  41 ba 08 00 00 00     mov r10d, 8            ; sizeof(sigset_t)
    0x41,
    (byte) 0xba,
    0x08,
    0x00,
    0x00,
    0x00,
    // 0x19  0f 05                 syscall
    0x0f,
    0x05,
    // 0x1b  b8 0d 00 00 00        mov eax, 13            ; rt_sigaction again; syscall keeps
    (byte) 0xb8,
    0x0d,
    0x00,
    0x00,
    0x00, //                 rsi, rdx and r10
    // 0x20  bf 02 00 00 00        mov edi, 2             ; SIGINT
    (byte) 0xbf,
    0x02,
    0x00,
    0x00,
    0x00,
    // 0x25  0f 05                 syscall
    0x0f,
    0x05,
    // loop:
    // 0x27  b8 22 00 00 00        mov eax, 34            ; pause
    (byte) 0xb8,
    0x22,
    0x00,
    0x00,
    0x00,
    // 0x2c  0f 05                 syscall
    0x0f,
    0x05,
    // 0x2e  eb f7                 jmp loop               ; 0x30 - 9 = 0x27
    (byte) 0xeb,
    (byte) 0xf7,
    // handler:
    // 0x30  31 ff                 xor edi, edi           ; status 0
    0x31,
    (byte) 0xff,
    // 0x32  b8 3c 00 00 00        mov eax, 60            ; exit
    (byte) 0xb8,
    0x3c,
    0x00,
    0x00,
    0x00,
    // 0x37  0f 05                 syscall
    0x0f,
    0x05,
    // 0x39  act: the kernel's struct sigaction, appended by pauseProgram()
  };

  // _start:
  private static final byte[] EXIT_CODE = {
    // 0x00  31 ff                 xor edi, edi           ; status 0
    0x31,
    (byte) 0xff,
    // 0x02  b8 3c 00 00 00        mov eax, 60            ; exit
    (byte) 0xb8,
    0x3c,
    0x00,
    0x00,
    0x00,
    // 0x07  0f 05                 syscall
    0x0f,
    0x05,
  };

  private TinyElf() {}

  /** A program that sleeps until SIGTERM or SIGINT (then exits 0) or SIGKILL. */
  public static byte[] pauseProgram() {
    // The kernel's x86_64 struct sigaction: handler, flags, restorer, mask (4 x 8 bytes).
    // The kernel refuses to deliver a signal to a handler without SA_RESTORER on x86_64; the
    // restorer is never called because the handler exits, so it simply points at the handler.
    long handler = BASE + CODE_OFFSET + PAUSE_HANDLER_OFFSET;
    ByteBuffer code = littleEndian(PAUSE_CODE.length + 32);
    code.put(PAUSE_CODE).putLong(handler).putLong(SA_RESTORER).putLong(handler).putLong(0L);
    return elf(code.array());
  }

  /** A program that exits at once with status 0. */
  public static byte[] exitProgram() {
    return elf(EXIT_CODE);
  }

  /** Wraps machine code, whose first byte is the entry point, into an executable ELF file. */
  static byte[] elf(byte[] code) {
    int size = CODE_OFFSET + code.length;
    ByteBuffer file = littleEndian(size);
    // ELF header
    file.put(new byte[] {0x7f, 'E', 'L', 'F'}); // magic
    file.put((byte) 2); // EI_CLASS: 64-bit
    file.put((byte) 1); // EI_DATA: little endian
    file.put((byte) 1); // EI_VERSION: 1
    file.put((byte) 0); // EI_OSABI: System V
    file.put(new byte[8]); // EI_ABIVERSION and padding
    file.putShort((short) 2); // e_type: ET_EXEC
    file.putShort((short) 0x3e); // e_machine: EM_X86_64
    file.putInt(1); // e_version
    file.putLong(BASE + CODE_OFFSET); // e_entry: first byte of the code
    file.putLong(ELF_HEADER_SIZE); // e_phoff: program header right after this header
    file.putLong(0); // e_shoff: no section headers
    file.putInt(0); // e_flags
    file.putShort((short) ELF_HEADER_SIZE); // e_ehsize
    file.putShort((short) PROGRAM_HEADER_SIZE); // e_phentsize
    file.putShort((short) 1); // e_phnum
    file.putShort((short) 64); // e_shentsize
    file.putShort((short) 0); // e_shnum
    file.putShort((short) 0); // e_shstrndx
    // Program header: map the whole file, headers included, at BASE
    file.putInt(1); // p_type: PT_LOAD
    file.putInt(5); // p_flags: PF_R | PF_X
    file.putLong(0); // p_offset
    file.putLong(BASE); // p_vaddr
    file.putLong(BASE); // p_paddr
    file.putLong(size); // p_filesz
    file.putLong(size); // p_memsz
    file.putLong(0x1000); // p_align
    file.put(code);
    return file.array();
  }

  private static ByteBuffer littleEndian(int size) {
    return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
  }
}
