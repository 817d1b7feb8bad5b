"""Smoke test of the PyInstaller bundle: it starts, plays the bundled demo lecture, quits with 0;
and smart speed's decoding works from it.

Run under an X server (make dist-smoke wraps it in xvfb-run). The bundle gets an almost empty
environment (PATH=/usr/bin:/bin, DISPLAY, XAUTHORITY, HOME, LANG): no venv, no PYTHONPATH. As
root, it also runs in a private mount namespace where the host's Python (interpreters, stdlib,
libpython, this venv, the interpreter it was made from), libmpv, the ffmpeg programs and
FFmpeg's libraries (libav*, libsw*, libpostproc) are hidden, as on a machine that never had
them. While it plays, its memory map is read to prove that Python, libmpv and FFmpeg's
libraries come from the bundle and to list what it still takes from the system.

Then, in the same namespace: the bundled ffmpeg program's libraries must all resolve (ldd),
FFmpeg's inside the bundle; run by itself with the arguments smart speed uses, it must decode
the demo lecture's sound (length and loudness checked); and the bundle itself, started with
LECPLAYER_BUNDLE_CHECK=smart-speed, must map the silences of every demo lecture with numpy and
that bundled ffmpeg.

Usage: python packaging/smoke_test.py [--bundle dist/lecplayer] [--seconds 1.0]
Only the standard library: it may run with any Python 3.11+, the bundle needs none.
"""

from __future__ import annotations

import argparse
import array
import glob
import json
import math
import os
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT = 60.0  # the first start of a cold bundle reads ~400 MB from disk


class Ipc:
    """A minimal client for mpv's JSON IPC socket."""

    def __init__(self, path: Path, proc: subprocess.Popen, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise SmokeFailure(f"the bundle exited with {proc.returncode} before mpv listened")
            self.sock = socket.socket(socket.AF_UNIX)
            try:
                self.sock.connect(str(path))
                break
            except OSError:
                self.sock.close()
                if time.monotonic() > deadline:
                    raise SmokeFailure(f"no mpv IPC socket after {timeout:.0f} s") from None
                time.sleep(0.1)
        self.sock.settimeout(30)
        self.buf = b""
        self.next_id = 0

    def request(self, *command: object) -> dict:
        self.next_id += 1
        self.sock.sendall(json.dumps({"command": list(command), "request_id": self.next_id})
                          .encode() + b"\n")
        while True:
            while b"\n" not in self.buf:
                chunk = self.sock.recv(65536)
                if not chunk:
                    raise SmokeFailure(f"mpv closed the IPC socket during {command}")
                self.buf += chunk
            line, self.buf = self.buf.split(b"\n", 1)
            msg = json.loads(line)
            if msg.get("request_id") == self.next_id:
                return msg

    def get(self, name: str) -> object:
        return self.request("get_property", name).get("data")

    def close(self) -> None:
        self.sock.close()


class SmokeFailure(Exception):
    pass


def wait_for(what: str, condition, proc: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if proc.poll() is not None:
            raise SmokeFailure(f"the bundle exited with {proc.returncode} while waiting: {what}")
        if time.monotonic() > deadline:
            raise SmokeFailure(f"timed out after {timeout:.0f} s waiting: {what}")
        time.sleep(0.05)


def mapped_files(pid: int) -> set[str]:
    files = set()
    with open(f"/proc/{pid}/maps") as maps:
        for line in maps:
            parts = line.split(None, 5)
            if len(parts) == 6 and parts[5].startswith("/"):
                files.add(parts[5].strip())
    return files


FFMPEG_LIBS = ("libavcodec", "libavdevice", "libavfilter", "libavformat", "libavutil",
               "libpostproc", "libswresample", "libswscale")
ANALYSIS_RATE = 16_000  # lecplayer.core.silence.ANALYSIS_RATE


def is_ffmpeg_lib(path: str) -> bool:
    return Path(path).name.startswith(tuple(f"{lib}.so" for lib in FFMPEG_LIBS))


def check_mappings(pid: int, bundle: Path) -> list[str]:
    """Fails if Python, libmpv or FFmpeg's libraries come from outside the bundle; returns
    the system libraries."""
    files = mapped_files(pid)
    inside = str(bundle.resolve()) + os.sep
    libs = sorted(f for f in files if ".so" in Path(f).name)
    outside = [f for f in libs if not f.startswith(inside)]
    leaks = [f for f in outside if "libpython" in f or "libmpv" in f or is_ffmpeg_lib(f)
             or f.startswith((sys.prefix, sys.base_prefix, str(ROOT / ".venv")))]
    if leaks:
        raise SmokeFailure("the bundle loaded these from the host:\n  " + "\n  ".join(leaks))
    if not any(f.startswith(inside) and "libmpv.so" in f for f in libs):
        raise SmokeFailure("libmpv is not mapped from the bundle")
    return outside


LIB_DIRS = ("/lib", "/lib64", "/usr/lib", "/usr/lib/*-linux-gnu", "/usr/local/lib")


def host_python_libmpv_ffmpeg() -> tuple[list[str], list[str]]:
    """(files, folders) that a machine without Python, libmpv and FFmpeg would not have."""
    files = glob.glob("/usr/bin/python3*") + glob.glob("/usr/local/bin/python3*")
    for prog in ("ffmpeg", "ffprobe", "ffplay"):
        files += glob.glob(f"/usr/bin/{prog}") + glob.glob(f"/usr/local/bin/{prog}")
    for d in LIB_DIRS:
        files += glob.glob(f"{d}/libmpv.so*") + glob.glob(f"{d}/libpython3*.so*")
        for lib in FFMPEG_LIBS:
            files += glob.glob(f"{d}/{lib}.so*")
    folders = glob.glob("/usr/lib/python3*") + glob.glob("/usr/local/lib/python3*")
    folders += [str(ROOT / ".venv"), sys.prefix]
    if not sys.base_prefix.startswith("/usr"):
        folders.append(sys.base_prefix)  # e.g. pyenv's interpreter the venv was made from
    real_files = sorted({os.path.realpath(f) for f in files if os.path.isfile(f)})
    real_folders = sorted({os.path.realpath(d) for d in folders if os.path.isdir(d)})
    return real_files, real_folders


def hiding_prefix(scratch: Path) -> tuple[list[str], list[str]]:
    """An argv prefix that runs a command with the host's Python, libmpv and FFmpeg hidden,
    and what it hides; ([], []) when that needs privileges we do not have."""
    if os.geteuid() != 0 or not shutil.which("unshare"):
        return [], []
    probe = subprocess.run(["unshare", "--mount", "true"], capture_output=True)
    if probe.returncode != 0:  # a container without CAP_SYS_ADMIN
        return [], []
    files, folders = host_python_libmpv_ffmpeg()
    script = ["set -e"]
    script += [f"mount --bind /dev/null {shlex.quote(f)}" for f in files]
    script += [f"mount -t tmpfs -o ro lecplayer-hidden {shlex.quote(d)}" for d in folders]
    # The loader's cache would still name the hidden libraries (and python-mpv asks
    # ldconfig): rebuild it without them, in our scratch folder, so nothing on disk changes.
    cache = shlex.quote(str(scratch / "ld.so.cache"))
    script += [f"/sbin/ldconfig -C {cache} 2>/dev/null", f"mount --bind {cache} /etc/ld.so.cache",
               "if /sbin/ldconfig -p | grep -q -e libmpv -e libpython "
               + " ".join(f"-e '{lib}[.]so'" for lib in FFMPEG_LIBS) + "; then",
               "  echo 'smoke: a hidden library is still in the loader cache' >&2; exit 97",
               "fi",
               "if command -v ffmpeg >/dev/null 2>&1 && ffmpeg -version >/dev/null 2>&1; then",
               "  echo 'smoke: the host ffmpeg still runs' >&2; exit 97",
               "fi"]
    script.append('exec "$@"')
    return ["unshare", "--mount", "sh", "-c", "\n".join(script), "sh"], files + folders


def check_ffmpeg_libraries(ffmpeg: Path, bundle: Path, prefix: list[str],
                           env: dict[str, str], launched: bool) -> tuple[int, list[str]]:
    """ldd of the bundled ffmpeg: nothing missing, FFmpeg's libraries from the bundle (its
    RPATH). `launched`: as the bundle starts it, with the LD_LIBRARY_PATH its bootloader sets,
    where every library the bundle has must come from the bundle. Returns how many libraries
    it resolves and those it takes from the host."""
    if launched:
        env = {**env, "LD_LIBRARY_PATH": str(ffmpeg.parent)}
    out = subprocess.run([*prefix, "ldd", str(ffmpeg)], env=env, capture_output=True, text=True,
                         timeout=60)
    if out.returncode != 0:
        raise SmokeFailure(f"ldd {ffmpeg} exited with {out.returncode}\n{out.stdout}{out.stderr}")
    inside = str(bundle.resolve()) + os.sep
    resolved, missing, leaks, host = 0, [], [], []
    for line in out.stdout.splitlines():
        name, arrow, target = line.strip().partition(" => ")
        if not arrow:
            continue  # the vDSO and the loader itself
        target = target.rsplit(" (", 1)[0].strip()
        if target == "not found":
            missing.append(name)
            continue
        resolved += 1
        if target.startswith(inside):
            continue
        if (is_ffmpeg_lib(target) or "libmpv" in target
                or launched and (ffmpeg.parent / Path(target).name).exists()):
            leaks.append(target)
        host.append(target)
    if missing or leaks:
        raise SmokeFailure(f"the bundled ffmpeg misses {missing} and takes from the host "
                           f"{leaks}:\n{out.stdout}")
    if resolved < len(FFMPEG_LIBS):
        raise SmokeFailure(f"ldd resolved only {resolved} libraries for {ffmpeg}:\n{out.stdout}")
    return resolved, host


def decode_with_bundled_ffmpeg(ffmpeg: Path, lecture: Path, prefix: list[str],
                               env: dict[str, str]) -> tuple[float, float]:
    """The lecture's sound from the bundled ffmpeg alone, run as lecplayer.player.audio_decode
    runs it (mono float32 at 16 kHz on stdout): (seconds, RMS level in dBFS)."""
    cmd = [*prefix, str(ffmpeg), "-nostdin", "-hide_banner", "-loglevel", "error",
           "-i", str(lecture), "-map", "0:a:0", "-vn", "-sn", "-dn", "-ac", "1",
           "-ar", str(ANALYSIS_RATE), "-f", "f32le", "-"]
    out = subprocess.run(cmd, env=env, capture_output=True, timeout=120)
    if out.returncode != 0:
        raise SmokeFailure(f"the bundled ffmpeg exited with {out.returncode} decoding "
                           f"{lecture.name}:\n{out.stderr.decode(errors='replace')}")
    samples = array.array("f")
    samples.frombytes(out.stdout[:len(out.stdout) - len(out.stdout) % 4])
    if sys.byteorder != "little":
        samples.byteswap()
    if not samples:
        raise SmokeFailure(f"the bundled ffmpeg decoded no sound from {lecture.name}")
    power = math.fsum(x * x for x in samples) / len(samples)
    return len(samples) / ANALYSIS_RATE, 10 * math.log10(power) if power > 0 else -math.inf


def smart_speed_in_bundle(exe: Path, lectures: list[Path], prefix: list[str],
                          env: dict[str, str]) -> list[dict]:
    """The bundle's own smart-speed analysis (LECPLAYER_BUNDLE_CHECK, see
    lecplayer_launcher.py) of each lecture: one JSON object per lecture."""
    out = subprocess.run([*prefix, str(exe), *map(str, lectures)],
                         env={**env, "LECPLAYER_BUNDLE_CHECK": "smart-speed"},
                         capture_output=True, text=True, timeout=300)
    if out.returncode != 0 or "Traceback" in out.stderr:
        raise SmokeFailure(f"the bundle's smart-speed check exited with {out.returncode}\n"
                           f"{out.stdout}{out.stderr}")
    results = [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]
    if [r["path"] for r in results] != [str(lecture) for lecture in lectures]:
        raise SmokeFailure(f"the bundle's smart-speed check answered for {results}")
    return results


def check_smart_speed(bundle: Path, lectures: list[Path], mpv_duration: float,
                      prefix: list[str], env: dict[str, str]) -> list[str]:
    """Smart speed's decoding from the bundle: its ffmpeg by itself on the first lecture, then
    the bundle's own analysis of every lecture. Returns the lines to report."""
    exe = bundle / "lecplayer"
    ffmpeg = (bundle / "_internal" / "ffmpeg").resolve()
    resolved, host = check_ffmpeg_libraries(ffmpeg, bundle, prefix, env, launched=False)
    _, launched_host = check_ffmpeg_libraries(ffmpeg, bundle, prefix, env, launched=True)
    first = lectures[0].name
    decoded, level = decode_with_bundled_ffmpeg(ffmpeg, lectures[0], prefix, env)
    if abs(decoded - mpv_duration) > 0.5:
        raise SmokeFailure(f"the bundled ffmpeg decoded {decoded:.2f} s of {first}, "
                           f"mpv says it lasts {mpv_duration:.2f} s")
    if level < -45:
        raise SmokeFailure(f"the bundled ffmpeg decoded near-silence ({level:.1f} dBFS) "
                           f"from {first}")
    maps = smart_speed_in_bundle(exe, lectures, prefix, env)
    for found in maps:
        if found["ffmpeg"] is None or Path(found["ffmpeg"]).resolve() != ffmpeg:
            raise SmokeFailure(f"the bundle ran ffmpeg {found['ffmpeg']}, not {ffmpeg}")
        if found["silences"] < 1 or found["duration"] < 5:
            raise SmokeFailure(f"implausible silence map from the bundle: {found}")
    if abs(maps[0]["duration"] - decoded) > 0.01:
        raise SmokeFailure(f"the bundle analysed {maps[0]['duration']} s of {first}, "
                           f"its ffmpeg decoded {decoded:.3f} s")

    def names(files: list[str]) -> str:
        return " ".join(Path(f).name for f in files)

    return [f"smoke: bundled ffmpeg run alone: {resolved} libraries resolve, FFmpeg's from the "
            f"bundle; {len(host)} from the host: {names(host)}",
            f"smoke: bundled ffmpeg started by the bundle: {len(launched_host)} from the host: "
            f"{names(launched_host)}",
            f"smoke: bundled ffmpeg alone decoded {decoded:.2f} s of {first} "
            f"(mpv: {mpv_duration:.2f} s) at {level:.1f} dBFS RMS",
            f"smoke: smart speed inside the bundle (numpy {maps[0]['numpy']}, "
            f"{ffmpeg.relative_to(bundle.resolve())}):",
            *(f"  {Path(found['path']).name}: {found['duration']:.2f} s, "
              f"{found['silences']} silences" for found in maps)]


def run(bundle: Path, seconds: float, hide_host: bool) -> None:
    exe = bundle / "lecplayer"
    ffmpeg = bundle / "_internal" / "ffmpeg"  # lecplayer.player.audio_decode.BUNDLED_FFMPEG
    demo = bundle / "_internal" / "resources" / "demo-course"
    for needed in (exe, ffmpeg, demo):
        if not needed.exists():
            raise SmokeFailure(f"{needed} is missing: run make dist first")
    if "DISPLAY" not in os.environ:
        raise SmokeFailure("no DISPLAY: run under xvfb-run (make dist-smoke does)")

    with tempfile.TemporaryDirectory(prefix="lecplayer-smoke-") as tmp:
        tmpdir = Path(tmp)
        sock = tmpdir / "mpv.sock"
        (tmpdir / "home").mkdir()
        env = {"PATH": "/usr/bin:/bin", "HOME": str(tmpdir / "home"), "LANG": "C.UTF-8",
               "DISPLAY": os.environ["DISPLAY"]}
        if "XAUTHORITY" in os.environ:
            env["XAUTHORITY"] = os.environ["XAUTHORITY"]
        prefix, hidden = hiding_prefix(tmpdir) if hide_host else ([], [])
        argv = [*prefix, str(exe), "--profile", str(tmpdir / "profile"), "--mpv-opt", "ao=null",
                "--mpv-opt", f"input-ipc-server={sock}", str(demo)]
        started = time.monotonic()
        with open(tmpdir / "stderr.txt", "w+") as err:
            proc = subprocess.Popen(argv, env=env, cwd=tmpdir, stdin=subprocess.DEVNULL,
                                    stdout=err, stderr=err)
            try:
                ipc = Ipc(sock, proc, START_TIMEOUT)
                wait_for("playback to start (time-pos)", lambda: ipc.get("time-pos") is not None,
                         proc, START_TIMEOUT)
                startup = time.monotonic() - started
                first = float(ipc.get("time-pos"))  # type: ignore[arg-type]
                path = ipc.get("path")
                duration = float(ipc.get("duration"))  # type: ignore[arg-type]
                wait_for(f"{seconds} s of playback",
                         lambda: float(ipc.get("time-pos") or 0) >= first + seconds,
                         proc, seconds + 30)
                played = float(ipc.get("time-pos")) - first  # type: ignore[arg-type]
                system_libs = check_mappings(proc.pid, bundle)
                version = ipc.get("mpv-version")
                ipc.request("quit")
                ipc.close()
                code = proc.wait(timeout=30)
            except (SmokeFailure, OSError, subprocess.TimeoutExpired) as e:
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()
                err.seek(0)
                raise SmokeFailure(f"{e} (exit code {proc.returncode})\n"
                                   f"--- stderr of the bundle ---\n{err.read()}") from None
            err.seek(0)
            stderr = err.read()
        if code != 0:
            raise SmokeFailure(f"exit code {code} after quit\n{stderr}")
        if "Traceback" in stderr:
            raise SmokeFailure(f"a traceback on stderr\n{stderr}")

        lectures = sorted(demo.glob("*.mp4"))
        if Path(str(path)).name != lectures[0].name:
            raise SmokeFailure(f"played {path}, expected the first lecture {lectures[0].name}")
        bare_env = {k: v for k, v in env.items() if k != "DISPLAY"}
        try:
            smart_report = check_smart_speed(bundle, lectures, duration, prefix, bare_env)
        except (OSError, subprocess.TimeoutExpired) as e:
            raise SmokeFailure(f"running the bundled ffmpeg or the bundle's check: {e}") from None

    if hidden:
        print(f"smoke: hidden from the bundle: {' '.join(hidden)}")
    else:
        print("smoke: host Python, libmpv and FFmpeg NOT hidden (needs root and a working "
              "unshare)")
    print(f"smoke: started and playing in {startup:.1f} s: {path}")
    print(f"smoke: played {played:.2f} s with {version}; quit → exit code 0")
    print(f"smoke: {len(system_libs)} libraries mapped from the host (libc, GL/EGL, X11/xcb, "
          "Mesa drivers are expected):")
    for lib in system_libs:
        print(f"  {lib}")
    if stderr.strip():
        print("smoke: stderr of the bundle:\n  " + "\n  ".join(stderr.strip().splitlines()))
    for line in smart_report:
        print(line)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, default=ROOT / "dist" / "lecplayer")
    parser.add_argument("--seconds", type=float, default=1.0, help="how long to play")
    parser.add_argument("--no-hide", action="store_true",
                        help="do not hide the host's Python, libmpv and FFmpeg from the "
                        "bundle")
    args = parser.parse_args(argv)
    try:
        run(args.bundle, args.seconds, hide_host=not args.no_hide)
    except SmokeFailure as e:
        print(f"smoke: FAILED: {e}", file=sys.stderr)
        return 1
    print("smoke: OK")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
