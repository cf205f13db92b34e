/* zarr5.storage._filewrite: write many files atomically in one call that runs without the GIL.
 *
 * DirectoryStore writes a key as four system calls (open a temporary file, write, close, rename it
 * over the key's file). From Python every one of them drops and retakes the GIL, and two threads
 * writing small chunks then spend more time handing the GIL to each other than writing. Here a whole
 * group of files is written with the GIL released once, so one thread's files are written while
 * another encodes chunks (measured in docs/benchmarks.md, "The floor under small-chunk writes").
 *
 * Optional: setup.py builds it when a compiler is there, and directory.py falls back to its Python
 * loop (the same calls, the same temporary names) when it is not.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef O_CLOEXEC
#define O_CLOEXEC 0
#endif

/* numbers the temporary names of this process (with the token the caller gives, unique per process) */
static unsigned long temp_counter = 0;

/* one file to write: its path (kept alive by `path_obj`) and its bytes */
typedef struct {
    PyObject *path_obj;
    Py_buffer data;
} item_t;

/* Write one file atomically; 0, or the errno of the first call that failed (the temporary file then
 * removed). Called without the GIL. */
static int write_one(const char *path, const Py_buffer *data, const char *token, unsigned long number,
                     int do_fsync, char *temp, size_t temp_size) {
    const char *slash = strrchr(path, '/');
    if (slash == NULL)
        return EINVAL;
    int n = snprintf(temp, temp_size, "%.*s/.%s.%s%08lx.partial", (int)(slash - path), path, slash + 1,
                     token, number & 0xFFFFFFFFUL);
    if (n < 0 || (size_t)n >= temp_size)
        return ENAMETOOLONG;
    int fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0 && errno == ENOENT) {
        /* a new node's first file: make its directory (one level; the caller makes deeper ones) */
        temp[slash - path] = '\0';
        int made = mkdir(temp, 0777) == 0 || errno == EEXIST;
        temp[slash - path] = '/';
        if (!made)
            return ENOENT;
        fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    }
    if (fd < 0)
        return errno;
    int error = 0;
    const char *p = (const char *)data->buf;
    Py_ssize_t left = data->len;
    while (left > 0) {
        ssize_t written = write(fd, p, (size_t)left);
        if (written < 0) {
            if (errno == EINTR)
                continue;
            error = errno;
            break;
        }
        if (written == 0) {
            error = EIO;
            break;
        }
        p += written;
        left -= written;
    }
    if (!error && do_fsync && fsync(fd) < 0)
        error = errno;
    if (close(fd) < 0 && !error)
        error = errno;
    if (!error && rename(temp, path) < 0)
        error = errno;
    if (error)
        unlink(temp);
    return error;
}

PyDoc_STRVAR(write_files_doc,
"write_files(items, token, fsync=False, start=0) -> (end, errno)\n\n"
"Write each ``(path, data)`` of the sequence ``items`` from index ``start`` on (an absolute str path,\n"
"a contiguous buffer) as DirectoryStore does: into the temporary file\n"
"``<dir>/.<name>.<token><8 hex digits>.partial``, then renamed over ``path``; with ``fsync`` each file\n"
"is synced before the rename. A missing directory of a file is made (one level). The GIL is released\n"
"for the whole group. Stops at the first file that fails, leaving no temporary file, and returns its\n"
"index and errno (``len(items)`` and 0 when all were written).");

static PyObject *write_files(PyObject *self, PyObject *args, PyObject *kwargs) {
    static char *keywords[] = {"items", "token", "fsync", "start", NULL};
    PyObject *items_arg;
    const char *token;
    int do_fsync = 0;
    Py_ssize_t start = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "Os|pn:write_files", keywords, &items_arg, &token,
                                     &do_fsync, &start))
        return NULL;
    PyObject *seq = PySequence_Fast(items_arg, "items must be a sequence of (path, data) pairs");
    if (seq == NULL)
        return NULL;
    Py_ssize_t total = PySequence_Fast_GET_SIZE(seq);
    if (start < 0 || start > total) {
        Py_DECREF(seq);
        PyErr_Format(PyExc_IndexError, "start %zd is outside the %zd items", start, total);
        return NULL;
    }
    Py_ssize_t count = total - start;
    item_t *items = PyMem_Calloc(count ? (size_t)count : 1, sizeof(item_t));
    if (items == NULL) {
        Py_DECREF(seq);
        return PyErr_NoMemory();
    }
    Py_ssize_t ready = 0;
    PyObject *result = NULL;
    size_t longest = 0;
    for (; ready < count; ready++) {
        PyObject *pair = PySequence_Fast_GET_ITEM(seq, start + ready);
        if (!PyTuple_Check(pair) || PyTuple_GET_SIZE(pair) != 2) {
            PyErr_Format(PyExc_TypeError, "item %zd is not a (path, data) pair", start + ready);
            goto done;
        }
        if (!PyUnicode_FSConverter(PyTuple_GET_ITEM(pair, 0), &items[ready].path_obj))
            goto done;
        if (PyObject_GetBuffer(PyTuple_GET_ITEM(pair, 1), &items[ready].data, PyBUF_SIMPLE) < 0) {
            Py_CLEAR(items[ready].path_obj);
            goto done;
        }
        size_t length = (size_t)PyBytes_GET_SIZE(items[ready].path_obj);
        if (length > longest)
            longest = length;
    }
    /* the temporary name adds a dot, a dot, the token, 8 digits, ".partial" and the NUL */
    size_t temp_size = longest + strlen(token) + 32;
    char *temp = PyMem_RawMalloc(temp_size);
    if (temp == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    Py_ssize_t written = 0;
    int error = 0;
    Py_BEGIN_ALLOW_THREADS
    for (; written < count; written++) {
        unsigned long number = __atomic_fetch_add(&temp_counter, 1UL, __ATOMIC_RELAXED);
        error = write_one(PyBytes_AS_STRING(items[written].path_obj), &items[written].data, token, number,
                          do_fsync, temp, temp_size);
        if (error)
            break;
    }
    Py_END_ALLOW_THREADS
    PyMem_RawFree(temp);
    result = Py_BuildValue("(ni)", start + written, error);
done:
    for (Py_ssize_t i = 0; i < ready; i++) {
        PyBuffer_Release(&items[i].data);
        Py_DECREF(items[i].path_obj);
    }
    PyMem_Free(items);
    Py_DECREF(seq);
    return result;
}

static PyMethodDef methods[] = {
    {"write_files", (PyCFunction)(void (*)(void))write_files, METH_VARARGS | METH_KEYWORDS, write_files_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_filewrite",
    "Atomic writes of many files with the GIL released (DirectoryStore's native write loop).", -1, methods,
};

PyMODINIT_FUNC PyInit__filewrite(void) {
    return PyModule_Create(&module);
}
