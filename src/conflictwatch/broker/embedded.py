"""Run a single-node Kafka broker (KRaft, combined broker+controller) on 127.0.0.1.

The artifacts come from Maven Central through the machine's Maven, once, into
``<cache_dir>/kafka-<version>/libs``. Storage is formatted on first start. The
broker runs as a detached Java process whose pid is kept in ``<home>/kafka/broker.pid``,
so ``broker start`` and ``broker stop`` can be separate commands.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import time
import uuid
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ..config import Settings
from ..errors import ConflictWatchError

# log4j2 version that Kafka's own server jar depends on, per Kafka release line.
_LOG4J_FOR = {"4.0": "2.24.3", "4.1": "2.24.3", "4.2": "2.25.1", "4.3": "2.25.1", "4.4": "2.25.1"}


class BrokerError(ConflictWatchError):
    """The embedded broker could not be fetched, started or stopped."""


def _require(tool: str, hint: str) -> str:
    path = shutil.which(tool)
    if not path:
        raise BrokerError(f"{tool!r} not found on PATH: {hint}")
    return path


def java_major_version(java: str) -> int:
    out = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=60)
    match = re.search(r'version "(\d+)(?:\.(\d+))?', out.stderr + out.stdout)
    if not match:
        raise BrokerError(f"cannot read the Java version from: {out.stderr.strip()[:200]}")
    major = int(match.group(1))
    return int(match.group(2)) if major == 1 else major


@dataclass
class KafkaDistribution:
    """The broker's classpath, fetched from Maven Central once and cached."""

    cache_dir: Path
    version: str

    @property
    def root(self) -> Path:
        return Path(self.cache_dir) / f"kafka-{self.version}"

    @property
    def libs(self) -> Path:
        return self.root / "libs"

    @property
    def ready(self) -> bool:
        return (self.root / ".complete").exists()

    def ensure(self, log=print) -> Path:
        if self.ready:
            return self.libs
        mvn = _require("mvn", "install Apache Maven (Debian: apt-get install maven) to fetch Kafka from Maven Central")
        line = ".".join(self.version.split(".")[:2])
        log4j = _LOG4J_FOR.get(line)
        if log4j is None:
            raise BrokerError(f"Kafka {self.version} is not a supported 4.x release line ({sorted(_LOG4J_FOR)})")
        self.root.mkdir(parents=True, exist_ok=True)
        template = resources.files("conflictwatch.broker").joinpath("pom.xml").read_text()
        pom = template.replace("@KAFKA_VERSION@", self.version).replace("@LOG4J_VERSION@", log4j)
        (self.root / "pom.xml").write_text(pom)
        staging = self.root / "libs.partial"
        shutil.rmtree(staging, ignore_errors=True)
        log(f"fetching Apache Kafka {self.version} from Maven Central into {self.root} (once)")
        proc = subprocess.run(
            [mvn, "-q", "-B", "-f", str(self.root / "pom.xml"), "dependency:copy-dependencies",
             f"-DoutputDirectory={staging}"],
            capture_output=True, text=True,
        )
        if proc.returncode != 0 or not any(staging.glob("kafka_2.13-*.jar")):
            tail = (proc.stdout + proc.stderr).strip().splitlines()[-15:]
            raise BrokerError("Maven could not fetch Kafka:\n" + "\n".join(tail))
        shutil.rmtree(self.libs, ignore_errors=True)
        staging.rename(self.libs)
        (self.root / ".complete").write_text(self.version + "\n")
        return self.libs


_SERVER_PROPERTIES = """\
# Written by conflictwatch; regenerated at every start.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:{controller_port}
listeners=PLAINTEXT://127.0.0.1:{port},CONTROLLER://127.0.0.1:{controller_port}
advertised.listeners=PLAINTEXT://127.0.0.1:{port}
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs={data}
num.partitions=1
# Single node: internal topics cannot have more than one replica.
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
# Topics are declared by conflictwatch with their partition counts; an
# auto-created topic would break Faust's co-partitioning.
auto.create.topics.enable=false
log.retention.check.interval.ms=60000
"""

_LOG4J2 = """\
status = warn
appender.file.type = File
appender.file.name = FILE
appender.file.fileName = {logfile}
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = FILE
logger.kafka.name = kafka
logger.kafka.level = WARN
logger.apache.name = org.apache.kafka
logger.apache.level = WARN
"""


class EmbeddedBroker:
    def __init__(self, settings: Settings, port: int | None = None, home: Path | str | None = None):
        self.settings = settings
        self.port = port or settings.broker_port
        self.controller_port = self.port + 1
        self.dir = Path(home or settings.home) / "kafka"
        self.dist = KafkaDistribution(Path(settings.cache_dir), settings.kafka_version)

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def pid_file(self) -> Path:
        return self.dir / "broker.pid"

    @property
    def log_file(self) -> Path:
        return self.dir / "server.log"

    def pid(self) -> int | None:
        try:
            pid = int(self.pid_file.read_text().strip())
        except (OSError, ValueError):
            return None
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        except PermissionError:
            pass
        return pid

    def is_running(self) -> bool:
        return self.pid() is not None and _port_open(self.port)

    def status(self) -> dict:
        pid = self.pid()
        return {
            "running": pid is not None and _port_open(self.port),
            "pid": pid,
            "bootstrap": self.bootstrap,
            "kafka_version": self.settings.kafka_version,
            "data": str(self.dir / "data"),
            "log": str(self.log_file),
        }

    def start(self, timeout: float = 90.0, log=print) -> str:
        if self.is_running():
            return self.bootstrap
        java = _require("java", "install a Java 17+ runtime (Debian: apt-get install openjdk-17-jre-headless)")
        major = java_major_version(java)
        if major < 17:
            raise BrokerError(f"Kafka 4.x needs Java 17 or newer; {java} is Java {major}")
        if _port_open(self.port) or _port_open(self.controller_port):
            raise BrokerError(
                f"port {self.port} or {self.controller_port} on 127.0.0.1 is taken by another process; "
                "set CONFLICTWATCH_BROKER_PORT or CONFLICTWATCH_BOOTSTRAP_SERVERS"
            )
        libs = self.dist.ensure(log=log)
        data = self.dir / "data"
        self.dir.mkdir(parents=True, exist_ok=True)
        props = self.dir / "server.properties"
        props.write_text(_SERVER_PROPERTIES.format(port=self.port, controller_port=self.controller_port, data=data))
        log4j = self.dir / "log4j2.properties"
        log4j.write_text(_LOG4J2.format(logfile=self.log_file))
        base = [java, f"-Dlog4j2.configurationFile={log4j}", "-cp", f"{libs}/*"]
        if not (data / "meta.properties").exists():
            cluster_id = _cluster_id()
            proc = subprocess.run(
                base + ["kafka.tools.StorageTool", "format", "-t", cluster_id, "-c", str(props)],
                capture_output=True, text=True, timeout=120,
            )
            if proc.returncode != 0:
                raise BrokerError("formatting Kafka storage failed:\n" + (proc.stdout + proc.stderr)[-2000:])
        out = open(self.dir / "stdout.log", "ab")
        proc = subprocess.Popen(
            base[:1] + [f"-Xmx{self.settings.broker_heap}", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"]
            + base[1:] + ["kafka.Kafka", str(props)],
            stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True,  # survives the CLI that started it; stopped by pid
        )
        self.pid_file.write_text(str(proc.pid))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise BrokerError(f"Kafka exited with code {proc.returncode}; see {self.log_file} and {self.dir / 'stdout.log'}")
            if _port_open(self.port) and _metadata_ok(self.bootstrap):
                return self.bootstrap
            time.sleep(0.3)
        self.stop()
        raise BrokerError(f"Kafka did not become ready within {timeout:.0f}s; see {self.log_file}")

    def stop(self, timeout: float = 30.0) -> bool:
        pid = self.pid()
        if pid is None:
            self.pid_file.unlink(missing_ok=True)
            return False
        os.kill(pid, signal.SIGTERM)  # Kafka shuts down cleanly on TERM
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not _alive(pid):
                break
            time.sleep(0.2)
        else:
            os.kill(pid, signal.SIGKILL)
        self.pid_file.unlink(missing_ok=True)
        return True


def _alive(pid: int) -> bool:
    try:
        # Reap it if it is our child, so it doesn't linger as a zombie.
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done == pid:
            return False
    except ChildProcessError:
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _cluster_id() -> str:
    # Kafka cluster ids are 16 random bytes in URL-safe base64 without padding. One in
    # 64 starts with "-", which the storage tool's argument parser takes for an option
    # ("--cluster-id: expected one argument"); Kafka's own generator skips those too.
    import base64

    while True:
        cid = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
        if not cid.startswith("-"):
            return cid


def _port_open(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def _metadata_ok(bootstrap: str) -> bool:
    from kafka import KafkaAdminClient
    from kafka.errors import KafkaError

    try:
        admin = KafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=3000)
    except (KafkaError, OSError):
        return False
    try:
        admin.list_topics()
        return True
    except (KafkaError, OSError):
        return False
    finally:
        admin.close()


def free_port_pair() -> int:
    """A port p such that p and p+1 are both free on 127.0.0.1 (client + controller)."""
    for _ in range(50):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if port < 65000 and not _port_open(port + 1):
            return port
    raise BrokerError("no free pair of ports on 127.0.0.1")
