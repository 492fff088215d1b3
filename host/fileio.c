/* Whole-file reads and atomic writes. */
#include "fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

locdet_exit locdet_read_file(const char *path, uint8_t **bytes, size_t *size, locdet_error *err)
{
    *bytes = NULL;
    *size = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return locdet_error_set(err, LOCDET_EXIT_IMAGE_DECODE, "cannot read %s: %s", path,
                                strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        int e = errno;
        close(fd);
        return locdet_error_set(err, LOCDET_EXIT_IMAGE_DECODE, "cannot read %s: %s", path,
                                S_ISDIR(st.st_mode) ? "is a folder" :
                                e ? strerror(e) : "not a regular file");
    }
    size_t cap = (size_t)st.st_size, n = 0;
    uint8_t *buf = malloc(cap ? cap : 1);
    if (!buf) {
        close(fd);
        return locdet_error_set(err, LOCDET_EXIT_INTERNAL, "%s: out of memory for %zu bytes", path,
                                cap);
    }
    /* Read to the end, not to st_size: the file may have grown. */
    for (;;) {
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 4096;
            uint8_t *nb = realloc(buf, nc);
            if (!nb) {
                free(buf);
                close(fd);
                return locdet_error_set(err, LOCDET_EXIT_INTERNAL, "%s: out of memory", path);
            }
            buf = nb;
            cap = nc;
        }
        ssize_t r = read(fd, buf + n, cap - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            int e = errno;
            free(buf);
            close(fd);
            return locdet_error_set(err, LOCDET_EXIT_IMAGE_DECODE, "cannot read %s: %s", path,
                                    strerror(e));
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    close(fd);
    *bytes = buf;
    *size = n;
    return LOCDET_EXIT_OK;
}

locdet_exit locdet_write_atomic(const char *path, locdet_writer_fn write, void *ctx,
                                locdet_error *err)
{
    size_t len = strlen(path);
    char *tmp = malloc(len + 16);
    if (!tmp)
        return locdet_error_set(err, LOCDET_EXIT_INTERNAL, "out of memory");
    memcpy(tmp, path, len);
    memcpy(tmp + len, ".tmp-XXXXXX", 12);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        int e = errno;
        free(tmp);
        return locdet_error_set(err, LOCDET_EXIT_STORAGE, "cannot write %s: %s", path, strerror(e));
    }
    /* mkstemp makes 0600; give the file the mode a plain open would. */
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, 0666 & ~mask);
    FILE *f = fdopen(fd, "wb");
    if (!f) {
        int e = errno;
        close(fd);
        unlink(tmp);
        free(tmp);
        return locdet_error_set(err, LOCDET_EXIT_STORAGE, "cannot write %s: %s", path, strerror(e));
    }
    errno = 0;
    int rc = write(f, ctx);
    int e = errno;
    if (fflush(f) != 0 && !rc) {
        rc = -1;
        e = errno;
    }
    if (fclose(f) != 0 && !rc) {
        rc = -1;
        e = errno;
    }
    if (rc == 0 && rename(tmp, path) != 0) {
        rc = -1;
        e = errno;
    }
    if (rc != 0) {
        unlink(tmp);
        free(tmp);
        return locdet_error_set(err, LOCDET_EXIT_STORAGE, "cannot write %s: %s", path,
                                e ? strerror(e) : "write failed");
    }
    free(tmp);
    return LOCDET_EXIT_OK;
}
