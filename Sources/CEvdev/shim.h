// The kernel's input and terminal interfaces, with the ioctl macros Swift cannot import
// turned into functions.
#include <fcntl.h>
#include <unistd.h>
#include <linux/input.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <pty.h>

/// EVIOCGRAB: take the device for this reader alone (1) or give it back (0).
static inline int lotbox_evdev_grab(int fd, int grab) { return ioctl(fd, EVIOCGRAB, (void *)(long)grab); }

/// EVIOCGNAME: the device's name as the kernel reports it; -1 when fd is not an evdev device.
static inline int lotbox_evdev_name(int fd, char *name, unsigned long size) { return ioctl(fd, EVIOCGNAME(size), name); }

/// The size of one event record on this machine (24 bytes on 64-bit Linux).
static inline unsigned long lotbox_input_event_size(void) { return sizeof(struct input_event); }

/// A close-on-exec, non-blocking pipe (pipe2 needs _GNU_SOURCE, which would clash with the
/// headers other modules see).
static inline int lotbox_pipe(int fds[2]) {
    if (pipe(fds) != 0) return -1;
    for (int i = 0; i < 2; i++) {
        fcntl(fds[i], F_SETFD, FD_CLOEXEC);
        fcntl(fds[i], F_SETFL, fcntl(fds[i], F_GETFL) | O_NONBLOCK);
    }
    return 0;
}
