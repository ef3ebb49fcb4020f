// The kernel's clock discipline (adjtimex(2)), read without changing anything.
#include <sys/timex.h>

/// 1 when the kernel says the clock is not synchronised (STA_UNSYNC, or adjtimex answering
/// TIME_ERROR), 0 when it is, -1 when it cannot be asked.
static inline int lotbox_clock_unsynchronised(void) {
    struct timex t = {0};
    int state = adjtimex(&t);
    if (state < 0) return -1;
    return (state == TIME_ERROR || (t.status & STA_UNSYNC)) ? 1 : 0;
}
