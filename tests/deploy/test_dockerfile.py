#!/usr/bin/env python3
"""deploy/Dockerfile without a Docker engine: tools/dockerfile-layout does its COPY steps
into a folder for each platform, with a small package built here (bootstrap linked with
DT_RPATH $ORIGIN/lib, a library in lib/, a plugin), and checks the result; then the
Dockerfile is broken on purpose in each way that ends in Runtime.InvalidEntrypoint (or
a multi-platform build), and each must be caught. As root, the x86_64 and arm64 layouts
also run in tools/lambda-sandbox: /var/runtime/bootstrap, what /lambda-entrypoint.sh
execs, with nothing but glibc. Exits 77 (skip) without gcc and aarch64-linux-gnu-gcc."""
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
DOCKERFILE = os.path.join(REPO, "deploy", "Dockerfile")
LAYOUT = os.path.join(REPO, "tools", "dockerfile-layout")
SANDBOX = os.path.join(REPO, "tools", "lambda-sandbox")
CC = {"amd64": ["gcc"], "arm64": ["aarch64-linux-gnu-gcc"]}

MAIN = r"""
#include <stdio.h>
int foo(void);
int main(int argc, char **argv) { (void)argc; printf("fixture bootstrap %s: %d\n", argv[0], foo()); return 0; }
"""
PLUGIN = r"""
#include <stdint.h>
struct entry { uint16_t major, minor; const char *name; };
__attribute__((visibility("default"))) const struct entry locdet_strategy_entry = {%d, 0, "demo"};
"""


def abi_major():
    import importlib.util
    from importlib.machinery import SourceFileLoader
    sys.dont_write_bytecode = True
    loader = SourceFileLoader("preflight", os.path.join(REPO, "tools", "preflight"))
    spec = importlib.util.spec_from_loader("preflight", loader)
    mod = importlib.util.module_from_spec(spec)
    loader.exec_module(mod)
    return mod.default_abi_major() or 1


def build_package(dest, arch):
    """A package in the zip's layout, for one docker architecture."""
    cc = CC[arch]
    src = tempfile.mkdtemp()
    try:
        for name, text in (("main.c", MAIN), ("foo.c", "int foo(void){return 42;}\n"),
                           ("plugin.c", PLUGIN % abi_major())):
            with open(os.path.join(src, name), "w") as f:
                f.write(text)
        os.makedirs(os.path.join(dest, "lib"))
        os.makedirs(os.path.join(dest, "plugins"))
        os.makedirs(os.path.join(dest, "licenses", "locdet"))
        run = lambda *a: subprocess.run(cc + list(a), cwd=src, check=True)
        run("-shared", "-fPIC", "foo.c", "-Wl,-soname,libfoo.so.1", "-o", os.path.join(dest, "lib", "libfoo.so.1"))
        run("main.c", "-L" + os.path.join(dest, "lib"), "-l:libfoo.so.1",
            "-Wl,--disable-new-dtags,-rpath,$ORIGIN/lib", "-o", os.path.join(dest, "bootstrap"))
        run("-shared", "-fPIC", "plugin.c", "-o", os.path.join(dest, "plugins", "demo.so"))
        shutil.copyfile(os.path.join(REPO, "LICENSE"), os.path.join(dest, "licenses", "locdet", "LICENSE"))
        os.chmod(os.path.join(dest, "bootstrap"), 0o755)
        for p in ("lib/libfoo.so.1", "plugins/demo.so", "licenses/locdet/LICENSE"):
            os.chmod(os.path.join(dest, p), 0o644)
    finally:
        shutil.rmtree(src)


class DockerfileTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="dockerfile-test-")
        cls.context = os.path.join(cls.tmp, "context")
        for arch in CC:
            build_package(os.path.join(cls.context, arch), arch)
        with open(DOCKERFILE, "rb") as f:
            cls.text = f.read().decode()

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def layout(self, text=None, platform="linux/arm64", build_args=(), context=None):
        path = DOCKERFILE
        if text is not None:
            path = os.path.join(self.tmp, "Dockerfile.mutated")
            with open(path, "wb") as f:
                f.write(text.encode())
        out = os.path.join(self.tmp, "out-" + platform.split("/")[1])
        args = [sys.executable, LAYOUT, "-f", path, "--platform", platform, "--context",
                context or self.context, "--out", out, "--check"]
        for kv in build_args:
            args += ["--build-arg", kv]
        r = subprocess.run(args, capture_output=True, text=True)
        return r.returncode, r.stdout, out

    def assertCaught(self, text, *fragments, **kw):
        rc, out, _ = self.layout(text, **kw)
        self.assertEqual(rc, 1, "expected a problem, got none")
        for f in fragments:
            self.assertIn(f, out)

    def test_dockerfile_text(self):
        self.assertNotIn("\r", self.text)
        self.assertIn("\nFROM public.ecr.aws/lambda/provided:al2023\n", self.text)
        self.assertIn('\nCMD ["bootstrap"]\n', self.text)
        self.assertNotIn("\nENTRYPOINT", self.text)
        self.assertNotIn("\nRUN ", self.text)

    def test_layouts_pass_for_both_platforms(self):
        for platform in ("linux/amd64", "linux/arm64"):
            rc, out, root = self.layout(platform=platform)
            self.assertEqual(rc, 0, out)
            boot = os.path.join(root, "rootfs", "var", "runtime", "bootstrap")
            self.assertEqual(os.stat(boot).st_mode & 0o777, 0o755)
            for p in ("lib/libfoo.so.1", "plugins/demo.so", "licenses/locdet/LICENSE"):
                self.assertTrue(os.path.isfile(os.path.join(root, "rootfs", "var", "runtime", p)), p)

    @unittest.skipUnless(os.geteuid() == 0, "the sandbox needs root")
    def test_layout_runs_with_only_glibc(self):
        for platform, arch in (("linux/amd64", "x86_64"), ("linux/arm64", "arm64")):
            rc, out, root = self.layout(platform=platform)
            self.assertEqual(rc, 0, out)
            r = subprocess.run([sys.executable, SANDBOX, "--arch", arch,
                                os.path.join(root, "rootfs", "var", "runtime"), "--root", "/var/runtime",
                                "--audit", "--", "/var/runtime/bootstrap"], capture_output=True, text=True)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn("fixture bootstrap /var/runtime/bootstrap: 42", r.stdout)
            self.assertIn("audit ok", r.stderr)

    def test_own_entrypoint_pointing_elsewhere(self):
        self.assertCaught(self.text + 'ENTRYPOINT ["/var/task/bootstrap"]\n',
                          "/var/task/bootstrap: missing from the image")
        self.assertCaught(self.text + 'ENTRYPOINT /var/runtime/bootstrap\n', "ENTRYPOINT in shell form")

    def test_cmd_must_be_one_exec_argument(self):
        self.assertCaught(self.text.replace('CMD ["bootstrap"]', "CMD bootstrap"), "exactly one argument")
        self.assertCaught(self.text.replace('CMD ["bootstrap"]', 'CMD ["bootstrap", "--verbose"]'),
                          "exactly one argument")
        self.assertCaught(self.text.replace('CMD ["bootstrap"]', ""), "CMD (none)")

    def test_pinned_platform_other_base_run(self):
        base = "FROM public.ecr.aws/lambda/provided:al2023"
        self.assertCaught(self.text.replace(base, "FROM --platform=linux/amd64 public.ecr.aws/lambda/provided:al2023"),
                          "--platform pins one architecture")
        self.assertCaught(self.text.replace(base, "FROM public.ecr.aws/lambda/provided:al2"), "the base must be")
        self.assertCaught(self.text + "RUN chmod 755 /var/runtime/bootstrap\n", "RUN executes at build time")

    def test_crlf(self):
        self.assertCaught(self.text.replace("\n", "\r\n"), "CRLF")

    def test_package_in_the_wrong_place(self):
        self.assertCaught(self.text.replace("/var/runtime/bootstrap", "/var/task/bootstrap"),
                          "/var/runtime/bootstrap: missing from the image")

    def test_modes(self):
        # --chmod on a folder copy applies to the folders too: lib/ becomes untraversable.
        self.assertCaught(self.text.replace("COPY ${LOCDET_PACKAGE}/lib/", "COPY --chmod=644 ${LOCDET_PACKAGE}/lib/"),
                          "/var/runtime/lib: folder mode 644")
        ctx = os.path.join(self.tmp, "ctx-noexec")
        shutil.copytree(self.context, ctx)
        os.chmod(os.path.join(ctx, "arm64", "bootstrap"), 0o644)
        self.assertCaught(self.text.replace("COPY --chmod=755 ${LOCDET_PACKAGE}/bootstrap",
                                            "COPY ${LOCDET_PACKAGE}/bootstrap"),
                          "/var/runtime/bootstrap: mode 644", context=ctx)
        shutil.rmtree(ctx)

    def test_package_of_the_other_architecture(self):
        self.assertCaught(None, "/var/runtime/bootstrap: built for x86_64", platform="linux/arm64",
                          build_args=["LOCDET_PACKAGE=amd64"])


if __name__ == "__main__":
    if not shutil.which("gcc") or not shutil.which("aarch64-linux-gnu-gcc"):
        print("skipped: gcc and aarch64-linux-gnu-gcc are needed", file=sys.stderr)
        sys.exit(77)
    unittest.main(verbosity=1)
