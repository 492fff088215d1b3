#!/usr/bin/env python3
"""tools/preflight against packages broken on purpose: each breakage must be
caught and named, and a sound package must pass. Builds tiny ELF files with
the native gcc and aarch64-linux-gnu-gcc; exits 77 (skip) if either is
missing."""
import io
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
PREFLIGHT = os.path.join(HERE, "..", "..", "tools", "preflight")
CROSS_CC = "aarch64-linux-gnu-gcc"
ABI_MAJOR = 1

PLUGIN_SRC = r"""
#include <stdint.h>
struct entry { uint16_t major, minor; const char *name; };
__attribute__((visibility("default"))) const struct entry locdet_strategy_entry = {%d, 0, "demo"};
"""


def sh(*cmd, cwd=None):
    subprocess.run(cmd, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


class Fixture:
    """Builds the parts once: native and arm64 executables, a shared library,
    plugins with and without the entry symbol."""

    def __init__(self, tmp):
        self.tmp = tmp
        def w(name, text):
            with open(os.path.join(tmp, name), "w") as f:
                f.write(text)
        w("main.c", "int main(void){return 0;}\n")
        w("foo.c", "int foo(void){return 1;}\n")
        w("usefoo.c", "int foo(void); int main(void){return foo();}\n")
        w("bar.c", "int foo(void); int bar(void){return foo();}\n")
        w("usebar.c", "int bar(void); int main(void){return bar();}\n")
        w("new.c", "#define _GNU_SOURCE\n#include <sys/epoll.h>\n"
                   "int main(void){return epoll_pwait2(0,0,0,0,0);}\n")
        w("plugin.c", PLUGIN_SRC % ABI_MAJOR)
        w("plugin_v9.c", PLUGIN_SRC % 9)
        w("noentry.c", "int helper(void){return 0;}\n")
        cc = lambda *a: sh("gcc", *a, cwd=tmp)
        cc("main.c", "-o", "main_x86")
        sh(CROSS_CC, "main.c", "-o", "main_arm64", cwd=tmp)
        cc("-shared", "-fPIC", "foo.c", "-Wl,-soname,libfoo.so.1", "-o", "libfoo.so.1")
        cc("usefoo.c", "-L.", "-l:libfoo.so.1", "-o", "foo_norpath")
        cc("usefoo.c", "-L.", "-l:libfoo.so.1", "-Wl,--disable-new-dtags,-rpath,$ORIGIN/lib", "-o", "foo_rpath")
        cc("usefoo.c", "-L.", "-l:libfoo.so.1", "-Wl,--enable-new-dtags,-rpath,$ORIGIN/lib", "-o", "foo_runpath")
        # A chain: bootstrap -> libbar -> libfoo, as libcurl -> libssl in the real zip.
        cc("-shared", "-fPIC", "bar.c", "-L.", "-l:libfoo.so.1", "-Wl,-soname,libbar.so.1", "-o", "libbar.so.1")
        cc("-shared", "-fPIC", "bar.c", "-L.", "-l:libfoo.so.1", "-Wl,-soname,libbar.so.1",
           "-Wl,--enable-new-dtags,-rpath,$ORIGIN", "-o", "libbar_runpath.so.1")
        cc("usebar.c", "-L.", "-l:libbar.so.1", "-Wl,-rpath-link,.", "-Wl,--disable-new-dtags,-rpath,$ORIGIN/lib",
           "-o", "bar_rpath")
        cc("usebar.c", "-L.", "-l:libbar.so.1", "-Wl,-rpath-link,.", "-o", "bar_norpath")
        cc("new.c", "-o", "needs_235")
        cc("main.c", "-Wl,--dynamic-linker=/lib/ld-musl-x86_64.so.1", "-o", "musl_interp")
        cc("-shared", "-fPIC", "plugin.c", "-o", "plugin_x86.so")
        cc("-shared", "-fPIC", "plugin_v9.c", "-o", "plugin_v9.so")
        cc("-shared", "-fPIC", "noentry.c", "-o", "noentry.so")
        sh(CROSS_CC, "-shared", "-fPIC", "plugin.c", "-o", "plugin_arm64.so", cwd=tmp)

    def bytes(self, name):
        with open(os.path.join(self.tmp, name), "rb") as f:
            return f.read()


def make_zip(path, members, compression=zipfile.ZIP_DEFLATED):
    """members: (name, bytes, mode)."""
    with zipfile.ZipFile(path, "w", compression) as zf:
        for name, data, mode in members:
            info = zipfile.ZipInfo(name)
            info.create_system = 3
            info.external_attr = (0o100000 | mode) << 16
            info.compress_type = compression
            zf.writestr(info, data)


class PreflightTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="preflight-test-")
        cls.fx = Fixture(cls.tmp)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def preflight(self, members, arch="x86_64", compression=zipfile.ZIP_DEFLATED, name="pkg.zip"):
        path = os.path.join(self.tmp, name)
        make_zip(path, members, compression)
        r = subprocess.run([sys.executable, PREFLIGHT, path, "--arch", arch, "--abi-major", str(ABI_MAJOR)],
                           capture_output=True, text=True)
        os.unlink(path)
        return r.returncode, r.stdout

    def assertCaught(self, members, *fragments, arch="x86_64", **kw):
        rc, out = self.preflight(members, arch=arch, **kw)
        self.assertEqual(rc, 1, "expected a problem, got none:\n" + out)
        for f in fragments:
            self.assertIn(f, out)

    def good(self, arch="x86_64"):
        exe = "main_x86" if arch == "x86_64" else "main_arm64"
        plugin = "plugin_x86.so" if arch == "x86_64" else "plugin_arm64.so"
        return [("bootstrap", self.fx.bytes(exe), 0o755),
                ("plugins/demo.so", self.fx.bytes(plugin), 0o644)]

    def test_sound_packages_pass(self):
        for arch in ("x86_64", "arm64"):
            rc, out = self.preflight(self.good(arch), arch=arch)
            self.assertEqual(rc, 0, out)
            self.assertEqual(out, "")

    def test_bundled_library_with_rpath_passes(self):
        rc, out = self.preflight([("bootstrap", self.fx.bytes("foo_rpath"), 0o755),
                                  ("lib/libfoo.so.1", self.fx.bytes("libfoo.so.1"), 0o644)])
        self.assertEqual(rc, 0, out)

    def test_library_chain_reaches_lib_through_bootstrap_rpath(self):
        foo = ("lib/libfoo.so.1", self.fx.bytes("libfoo.so.1"), 0o644)
        bar = ("lib/libbar.so.1", self.fx.bytes("libbar.so.1"), 0o644)
        rc, out = self.preflight([("bootstrap", self.fx.bytes("bar_rpath"), 0o755), bar, foo])
        self.assertEqual(rc, 0, out)
        # Without bootstrap's DT_RPATH, libbar's own libfoo comes from /lib64 first.
        self.assertCaught([("bootstrap", self.fx.bytes("bar_norpath"), 0o755), bar, foo],
                          "lib/libbar.so.1: bundled libfoo.so.1 is found only through LD_LIBRARY_PATH")
        # A DT_RUNPATH in the library turns off the executable's DT_RPATH for its dependencies.
        self.assertCaught([("bootstrap", self.fx.bytes("bar_rpath"), 0o755),
                           ("lib/libbar.so.1", self.fx.bytes("libbar_runpath.so.1"), 0o644), foo],
                          "lib/libbar.so.1: bundled libfoo.so.1 is reached through DT_RUNPATH")

    def test_folder(self):
        """An unpacked package (a container image's /var/runtime): modes from the files."""
        top = tempfile.mkdtemp(dir=self.tmp)
        def put(name, data, mode):
            path = os.path.join(top, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(data)
            os.chmod(path, mode)
        put("bootstrap", self.fx.bytes("foo_rpath"), 0o755)
        put("lib/libfoo.so.1", self.fx.bytes("libfoo.so.1"), 0o644)
        put("plugins/demo.so", self.fx.bytes("plugin_x86.so"), 0o644)
        run = lambda *a: subprocess.run([sys.executable, PREFLIGHT, top, "--arch", "x86_64",
                                         "--abi-major", str(ABI_MAJOR)] + list(a),
                                        capture_output=True, text=True)
        r = run("--root", "/var/runtime")
        self.assertEqual(r.returncode, 0, r.stdout)
        os.chmod(os.path.join(top, "bootstrap"), 0o644)
        r = run("--root", "/var/runtime")
        self.assertEqual(r.returncode, 1)
        self.assertIn("bootstrap: not executable (mode 0o644)", r.stdout)
        shutil.rmtree(top)

    def test_wrong_machine(self):
        self.assertCaught([("bootstrap", self.fx.bytes("main_arm64"), 0o755)],
                          "bootstrap: built for arm64", arch="x86_64")
        self.assertCaught([("bootstrap", self.fx.bytes("main_x86"), 0o755)],
                          "bootstrap: built for x86_64", arch="arm64")

    def test_missing_exec_bit(self):
        self.assertCaught([("bootstrap", self.fx.bytes("main_x86"), 0o644)], "bootstrap: not executable")

    def test_bootstrap_not_at_root(self):
        self.assertCaught([("dist/bootstrap", self.fx.bytes("main_x86"), 0o755)],
                          "bootstrap: missing at the root", "dist/bootstrap")

    def test_crlf_script(self):
        self.assertCaught([("bootstrap", b"#!/bin/sh\r\nexec ./locdet\r\n", 0o755)], "CRLF")

    def test_missing_shebang_interpreter(self):
        self.assertCaught([("bootstrap", b"#!/usr/local/bin/python3\nprint(1)\n", 0o755)],
                          "/usr/local/bin/python3 is not on provided.al2023")
        self.assertCaught([("bootstrap", b"echo hello\n", 0o755)], "shebang")

    def test_foreign_elf_interpreter(self):
        self.assertCaught([("bootstrap", self.fx.bytes("musl_interp"), 0o755)],
                          "ELF interpreter /lib/ld-musl-x86_64.so.1 is not present")

    def test_needed_library_not_bundled(self):
        self.assertCaught([("bootstrap", self.fx.bytes("foo_rpath"), 0o755)], "needs libfoo.so.1")

    def test_bundled_library_shadowed(self):
        lib = ("lib/libfoo.so.1", self.fx.bytes("libfoo.so.1"), 0o644)
        self.assertCaught([("bootstrap", self.fx.bytes("foo_norpath"), 0o755), lib], "shadows it")
        self.assertCaught([("bootstrap", self.fx.bytes("foo_runpath"), 0o755), lib], "DT_RUNPATH")

    def test_glibc_too_new(self):
        self.assertCaught([("bootstrap", self.fx.bytes("needs_235"), 0o755)], "needs GLIBC_2.35")

    def test_plugin_problems(self):
        boot = ("bootstrap", self.fx.bytes("main_x86"), 0o755)
        self.assertCaught([boot, ("plugins/other.so", self.fx.bytes("plugin_arm64.so"), 0o644)],
                          "plugins/other.so: built for arm64")
        self.assertCaught([boot, ("plugins/none.so", self.fx.bytes("noentry.so"), 0o644)],
                          "plugins/none.so: does not export locdet_strategy_entry")
        self.assertCaught([boot, ("plugins/old.so", self.fx.bytes("plugin_v9.so"), 0o644)],
                          "plugin ABI major 9, but the host speaks 1")

    def test_layer_zip(self):
        rc, out = self.preflight([("locdet/plugins/demo.so", self.fx.bytes("plugin_arm64.so"), 0o644)],
                                 arch="arm64")
        self.assertEqual(rc, 0, out)
        self.assertCaught([("locdet/plugins/demo.so", self.fx.bytes("plugin_x86.so"), 0o644)],
                          "locdet/plugins/demo.so: built for x86_64", arch="arm64")

    def test_size_limits(self):
        boot = ("bootstrap", self.fx.bytes("main_x86"), 0o755)
        self.assertCaught([boot, ("big.bin", os.urandom(51 * 1024 * 1024), 0o644)], "50 MB",
                          compression=zipfile.ZIP_STORED)
        self.assertCaught([boot, ("zeros.bin", bytes(251 * 1024 * 1024), 0o644)], "250 MB")

    def test_not_a_zip(self):
        path = os.path.join(self.tmp, "junk.zip")
        with open(path, "wb") as f:
            f.write(b"not a zip")
        r = subprocess.run([sys.executable, PREFLIGHT, path], capture_output=True, text=True)
        self.assertEqual(r.returncode, 1)
        self.assertIn("not a readable zip", r.stdout)


if __name__ == "__main__":
    if not shutil.which("gcc") or not shutil.which(CROSS_CC):
        print("skipped: gcc and %s are needed" % CROSS_CC, file=sys.stderr)
        sys.exit(77)
    unittest.main(verbosity=1)
