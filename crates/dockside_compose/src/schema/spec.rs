//! The Compose specification as data: every key, its shape and its documentation.
//!
//! Written from the specification (compose-spec `schema/compose-spec.json` and the reference
//! pages); the order of keys follows the specification's, which is the order completion lists.

use super::shape::*;

// --- Shared shapes ---------------------------------------------------------------------------

const STR: Shape = scalar(STRING);
const BOOL: Shape = scalar(BOOLEAN);
const BOOL_STR: Shape = scalar(BOOLEAN | STRING);
const INT_STR: Shape = scalar(INTEGER | STRING);
const NUM_STR: Shape = scalar(NUMBER | STRING);
const NUM: Shape = scalar(NUMBER);
const INT: Shape = scalar(INTEGER);
const DURATION: Shape = formatted(STRING, Format::Duration);
const BYTES: Shape = formatted(STRING, Format::ByteSize);
const NUM_BYTES: Shape = formatted(NUMBER | STRING, Format::ByteSize);
const INT_BYTES: Shape = formatted(INTEGER | STRING, Format::ByteSize);

const STRINGS: Shape = Shape::List(&List {
    item: STR,
    unique: false,
});
const UNIQUE_STRINGS: Shape = Shape::List(&List {
    item: STR,
    unique: true,
});
const STRING_OR_LIST: Shape = Shape::OneOf(&OneOf {
    alternatives: &[STR, UNIQUE_STRINGS],
    kind: "string or list of strings",
    expected: "a string or a list of strings",
});
const STRING_OR_ANY_LIST: Shape = Shape::OneOf(&OneOf {
    alternatives: &[STR, STRINGS],
    kind: "string or list of strings",
    expected: "a string or a list of strings",
});
const COMMAND: Shape = Shape::OneOf(&OneOf {
    alternatives: &[scalar(NULL), STR, STRINGS],
    kind: "string or list of strings",
    expected: "a string (run by a shell) or a list of strings (the arguments)",
});

const LIST_OR_DICT: Shape = Shape::OneOf(&OneOf {
    alternatives: &[
        Shape::Map(&Map {
            what: "key",
            nullable: false,
            props: &[],
            patterns: &[Pattern {
                key: KeyPattern::NonEmpty,
                shape: scalar(STRING | NUMBER | BOOLEAN | NULL),
                label: "name",
                doc: "A name and its value.",
            }],
            closed: true,
            required: &[],
        }),
        UNIQUE_STRINGS,
    ],
    kind: "list or mapping",
    expected: "a mapping of names to values or a list of `NAME=value` strings",
});

/// A mapping of free names (options) to values.
macro_rules! string_values {
    ($label:expr, $value:expr $(,)?) => {
        Shape::Map(&Map {
            what: "key",
            nullable: false,
            props: &[],
            patterns: &[Pattern {
                key: KeyPattern::NonEmpty,
                shape: $value,
                label: $label,
                doc: "A name and its value.",
            }],
            closed: false,
            required: &[],
        })
    };
}

const DRIVER_OPTS: Shape = string_values!("option", scalar(STRING | NUMBER));

const EXTRA_HOSTS: Shape = Shape::OneOf(&OneOf {
    alternatives: &[
        Shape::Map(&Map {
            what: "host name",
            nullable: false,
            props: &[],
            patterns: &[Pattern {
                key: KeyPattern::NonEmpty,
                shape: STRING_OR_ANY_LIST,
                label: "host name",
                doc: "A host name and its address (or addresses).",
            }],
            closed: true,
            required: &[],
        }),
        UNIQUE_STRINGS,
    ],
    kind: "list or mapping",
    expected: "a mapping of host names to addresses or a list of `host=address` strings",
});

const ULIMITS: Shape = Shape::Map(&Map {
    what: "ulimit",
    nullable: false,
    props: &[],
    patterns: &[Pattern {
        key: KeyPattern::Lowercase,
        shape: Shape::OneOf(&OneOf {
            alternatives: &[
                INT_STR,
                Shape::Map(
                    &closed(
                        "ulimit property",
                        &[
                            prop(
                                "hard",
                                INT_STR,
                                "The hard limit (the most `soft` can be raised to).",
                            ),
                            prop("soft", INT_STR, "The limit the container starts with."),
                        ],
                    )
                    .require(&["soft", "hard"]),
                ),
            ],
            kind: "integer or mapping",
            expected: "a number (soft and hard limit) or a mapping with `soft` and `hard`",
        }),
        label: "ulimit name",
        doc: "A resource limit (`nofile`, `nproc`, `core`…): one number, or `soft` and `hard`.",
    }],
    closed: false,
    required: &[],
});

const SERVICE_CONFIG_OR_SECRET: Shape = Shape::List(&List {
    item: Shape::OneOf(&OneOf {
        alternatives: &[
            STR,
            Shape::Map(&closed(
                "property",
                &[
                    prop(
                        "source",
                        STR,
                        "The name of the top-level secret or config to grant.",
                    ),
                    prop(
                        "target",
                        STR,
                        "Where it is mounted in the container (a file name under `/run/secrets/` for secrets, an absolute path for configs).",
                    ),
                    prop("uid", STR, "The owner's user id of the mounted file."),
                    prop("gid", STR, "The owner's group id of the mounted file."),
                    prop(
                        "mode",
                        NUM_STR,
                        "Permissions of the mounted file, in octal: `0440`. Quote it (`\"0440\"`) so YAML does not read it as a number.",
                    ),
                ],
            )),
        ],
        kind: "string or mapping",
        expected: "a name or a mapping with `source`",
    }),
    unique: false,
});

const LABELS: Prop = prop(
    "labels",
    LIST_OR_DICT,
    "Metadata labels, as a mapping or a list of `key=value`. Use reverse-DNS names: `com.example.team: web`.",
);

const EXTERNAL: Shape = Shape::OneOf(&OneOf {
    alternatives: &[
        BOOL_STR,
        Shape::Map(&closed(
            "property",
            &[deprecated(
                "name",
                STR,
                "Deprecated: set `name` next to `external: true` instead.",
            )],
        )),
    ],
    kind: "boolean",
    expected: "`true` or `false`",
});

const EXTERNAL_OPEN: Shape = Shape::OneOf(&OneOf {
    alternatives: &[
        BOOL_STR,
        Shape::Map(&Map {
            what: "property",
            nullable: false,
            props: &[deprecated(
                "name",
                STR,
                "Deprecated: set `name` next to `external: true` instead.",
            )],
            patterns: &[],
            closed: false,
            required: &[],
        }),
    ],
    kind: "boolean",
    expected: "`true` or `false`",
});

const EXTERNAL_DOC: &str = "`true`: the resource exists already and Compose does not create it (it fails if missing). Only `name` may be set next to it.";

// --- Hooks, development --------------------------------------------------------------------

const HOOK_PROPS_DOC_COMMAND: &str = "The command to run in the container.";

const SERVICE_HOOK: Shape = Shape::Map(
    &closed(
        "hook property",
        &[
            prop("command", COMMAND, HOOK_PROPS_DOC_COMMAND),
            prop("user", STR, "The user to run the command as."),
            prop(
                "privileged",
                BOOL_STR,
                "Run the command with extended privileges.",
            ),
            prop("working_dir", STR, "The working directory of the command."),
            prop(
                "environment",
                LIST_OR_DICT,
                "Extra environment variables for the command.",
            ),
        ],
    )
    .require(&["command"]),
);

const PRE_START_HOOK: Shape = Shape::Map(&closed(
    "hook property",
    &[
        prop("command", COMMAND, HOOK_PROPS_DOC_COMMAND),
        prop(
            "image",
            STR,
            "The image the hook runs in (default: the service's).",
        ),
        prop("user", STR, "The user to run the command as."),
        prop(
            "privileged",
            BOOL_STR,
            "Run the command with extended privileges.",
        ),
        prop("working_dir", STR, "The working directory of the command."),
        prop(
            "environment",
            LIST_OR_DICT,
            "Extra environment variables for the command.",
        ),
        prop(
            "per_replica",
            BOOL_STR,
            "Run the hook once per replica instead of once per service.",
        ),
    ],
));

const WATCH_RULE: Shape = Shape::Map(
    &closed(
        "watch property",
        &[
            prop("ignore", STRING_OR_LIST, "Patterns (`.dockerignore` syntax) of paths under `path` to ignore."),
            prop("include", STRING_OR_LIST, "Patterns of paths under `path` to watch (default: all)."),
            prop("path", STR, "The path to watch, relative to the project directory."),
            prop(
                "action",
                one_of_values(&["rebuild", "sync", "restart", "sync+restart", "sync+exec"]),
                "What to do on a change: `sync` copies files into the container, `rebuild` rebuilds the image and recreates the container, `restart` restarts it, `sync+restart` and `sync+exec` sync then restart or run `exec`.",
            ),
            prop("target", STR, "Where changed files are copied in the container (required by the `sync` actions)."),
            prop("exec", SERVICE_HOOK, "The command `sync+exec` runs after syncing."),
            prop("initial_sync", BOOL, "Sync the whole path when watching starts."),
        ],
    )
    .require(&["path", "action"]),
);

const DEVELOPMENT: Map = closed(
    "develop property",
    &[prop(
        "watch",
        Shape::List(&List {
            item: WATCH_RULE,
            unique: false,
        }),
        "Rules `docker compose watch` (and `up --watch`) follows to update the running service when files change.",
    )],
)
.or_null();

// --- Deploy --------------------------------------------------------------------------------

const UPDATE_CONFIG_PROPS: &[Prop] = &[
    prop(
        "parallelism",
        INT_STR,
        "How many containers are updated at once (`0`: all).",
    ),
    prop(
        "delay",
        DURATION,
        "Time to wait between groups of containers: `10s`.",
    ),
    prop(
        "failure_action",
        formatted(STRING, Format::OneOf(&["continue", "rollback", "pause"])),
        "What to do when an update fails: `continue`, `rollback` or `pause` (default).",
    ),
    prop(
        "monitor",
        DURATION,
        "How long to watch each updated task for failure: `30s`.",
    ),
    prop(
        "max_failure_ratio",
        NUM_STR,
        "The failure rate tolerated during the update (0 to 1).",
    ),
    prop(
        "order",
        one_of_values(&["start-first", "stop-first"]),
        "`stop-first` (default) stops the old task before starting the new one; `start-first` overlaps them.",
    ),
];

const GENERIC_RESOURCES: Shape = Shape::List(&List {
    item: Shape::Map(&closed(
        "generic resource property",
        &[prop(
            "discrete_resource_spec",
            Shape::Map(&closed(
                "property",
                &[
                    prop("kind", STR, "The kind of resource: `gpu`, `ssd`…"),
                    prop("value", NUM_STR, "How many are reserved."),
                ],
            )),
            "A countable resource reserved on the node.",
        )],
    )),
    unique: false,
});

const DEVICE_REQUEST_PROPS: &[Prop] = &[
    prop(
        "capabilities",
        UNIQUE_STRINGS,
        "What the device must be able to do: `[gpu]`, `[gpu, utility]`.",
    ),
    prop("count", INT_STR, "How many devices to reserve, or `all`."),
    prop(
        "device_ids",
        UNIQUE_STRINGS,
        "Specific devices to reserve (not with `count`).",
    ),
    prop("driver", STR, "The device driver: `nvidia`."),
    prop("options", LIST_OR_DICT, "Driver-specific options."),
];

const DEVICE_REQUESTS: Shape = Shape::List(&List {
    item: Shape::Map(&closed("device property", DEVICE_REQUEST_PROPS).require(&["capabilities"])),
    unique: false,
});

const DEPLOYMENT: Map = closed(
    "deploy property",
    &[
        prop(
            "mode",
            formatted(
                STRING,
                Format::OneOf(&["replicated", "global", "replicated-job", "global-job"]),
            ),
            "`replicated` (default): `replicas` containers; `global`: one per node; the `-job` modes run to completion.",
        ),
        prop(
            "endpoint_mode",
            formatted(STRING, Format::OneOf(&["vip", "dnsrr"])),
            "How clients reach the service (Swarm): `vip` (a virtual IP, default) or `dnsrr` (DNS round robin).",
        ),
        prop("replicas", INT_STR, "How many containers run the service (with `mode: replicated`)."),
        prop(
            "labels",
            LIST_OR_DICT,
            "Labels on the service (Swarm), not on its containers: use the service's `labels` for those.",
        ),
        prop(
            "rollback_config",
            Shape::Map(&closed("rollback_config property", UPDATE_CONFIG_PROPS)),
            "How the service is rolled back when an update fails.",
        ),
        prop(
            "update_config",
            Shape::Map(&closed("update_config property", UPDATE_CONFIG_PROPS)),
            "How the service is updated: batch size, delay, failure handling.",
        ),
        prop(
            "resources",
            Shape::Map(&closed(
                "resources property",
                &[
                    prop(
                        "limits",
                        Shape::Map(&closed(
                            "limits property",
                            &[
                                prop("cpus", NUM_STR, "The most CPUs the container may use: `0.5`."),
                                prop("memory", BYTES, "The most memory the container may use: `512M`."),
                                prop("pids", INT_STR, "The most processes the container may run."),
                            ],
                        )),
                        "The most the container may use.",
                    ),
                    prop(
                        "reservations",
                        Shape::Map(&closed(
                            "reservations property",
                            &[
                                prop("cpus", NUM_STR, "CPUs reserved for the container: `0.25`."),
                                prop("memory", BYTES, "Memory reserved for the container: `256M`."),
                                prop("generic_resources", GENERIC_RESOURCES, "Other resources reserved (Swarm)."),
                                prop(
                                    "devices",
                                    DEVICE_REQUESTS,
                                    "Devices reserved for the container, such as GPUs:\n```yaml\ndevices:\n  - driver: nvidia\n    count: 1\n    capabilities: [gpu]\n```",
                                ),
                            ],
                        )),
                        "What the container is guaranteed.",
                    ),
                ],
            )),
            "CPU, memory and device limits and reservations.",
        ),
        prop(
            "restart_policy",
            Shape::Map(&closed(
                "restart_policy property",
                &[
                    prop(
                        "condition",
                        formatted(STRING, Format::OneOf(&["none", "on-failure", "any"])),
                        "When to restart: `none`, `on-failure` or `any` (default).",
                    ),
                    prop("delay", DURATION, "Time between restart attempts: `5s`."),
                    prop("max_attempts", INT_STR, "How many restarts are tried before giving up."),
                    prop("window", DURATION, "How long to wait before deciding a restart succeeded."),
                ],
            )),
            "How containers restart when they exit (the service's `restart` is the local equivalent).",
        ),
        prop(
            "placement",
            Shape::Map(&closed(
                "placement property",
                &[
                    prop("constraints", STRINGS, "Conditions a node must meet: `node.role==manager`."),
                    prop(
                        "preferences",
                        Shape::List(&List {
                            item: Shape::Map(&closed(
                                "preference property",
                                &[prop("spread", STR, "Spread tasks evenly over a node label: `node.labels.zone`.")],
                            )),
                            unique: false,
                        }),
                        "How tasks are spread over nodes.",
                    ),
                    prop("max_replicas_per_node", INT_STR, "The most replicas on one node."),
                ],
            )),
            "Where the containers may run (Swarm).",
        ),
    ],
)
.or_null();

const GPUS: Shape = Shape::OneOf(&OneOf {
    alternatives: &[
        one_of_values(&["all"]),
        Shape::List(&List {
            item: Shape::Map(&Map {
                what: "gpu property",
                nullable: false,
                props: DEVICE_REQUEST_PROPS,
                patterns: &[],
                closed: false,
                required: &[],
            }),
            unique: false,
        }),
    ],
    kind: "`all` or list",
    expected: "`all` or a list of device requests",
});

// --- Service --------------------------------------------------------------------------------

const BUILD: Shape = Shape::OneOf(&OneOf {
    alternatives: &[
        STR,
        Shape::Map(&closed(
            "build property",
            &[
                prop(
                    "context",
                    STR,
                    "The build context: a folder (relative to the Compose file) or a Git/HTTP URL. Default: `.`.",
                ),
                prop(
                    "dockerfile",
                    STR,
                    "The Dockerfile, relative to the **context** (not to the Compose file). Default: `Dockerfile`.",
                ),
                prop(
                    "dockerfile_inline",
                    STR,
                    "The Dockerfile itself, written inline (instead of `dockerfile`).",
                ),
                prop(
                    "entitlements",
                    STRINGS,
                    "Extra privileges the build may use: `network.host`, `security.insecure`.",
                ),
                prop(
                    "args",
                    LIST_OR_DICT,
                    "Build arguments (`ARG` values). Interpolated by Compose first: write `$$` for a literal `$`.",
                ),
                prop(
                    "ssh",
                    LIST_OR_DICT,
                    "SSH agents or keys the build may use: `default` or `id=path`.",
                ),
                prop("labels", LIST_OR_DICT, "Labels added to the built image."),
                prop(
                    "cache_from",
                    STRINGS,
                    "Sources of build cache: images or `type=registry,ref=…`.",
                ),
                prop(
                    "cache_to",
                    STRINGS,
                    "Where to export the build cache: `type=inline`, `type=registry,ref=…`.",
                ),
                prop("no_cache", BOOL_STR, "Build without the cache."),
                prop(
                    "no_cache_filter",
                    STRING_OR_LIST,
                    "Stages to build without the cache.",
                ),
                prop(
                    "additional_contexts",
                    LIST_OR_DICT,
                    "Named contexts for `COPY --from=<name>`: a folder, `docker-image://…`, or `service:<name>`.",
                ),
                prop(
                    "network",
                    STR,
                    "The network `RUN` instructions use: `host`, `none`, or a network name.",
                ),
                prop(
                    "provenance",
                    scalar(STRING | BOOLEAN),
                    "Provenance attestation: `true`, `false` or `mode=max`.",
                ),
                prop(
                    "sbom",
                    scalar(STRING | BOOLEAN),
                    "SBOM attestation: `true` or `false`.",
                ),
                prop("pull", BOOL_STR, "Always pull the base images."),
                prop(
                    "target",
                    STR,
                    "The stage of a multi-stage Dockerfile to build.",
                ),
                prop(
                    "shm_size",
                    INT_BYTES,
                    "Size of `/dev/shm` for `RUN` instructions: `256m`.",
                ),
                prop(
                    "extra_hosts",
                    EXTRA_HOSTS,
                    "Extra `/etc/hosts` entries during the build.",
                ),
                prop(
                    "isolation",
                    STR,
                    "Isolation technology for the build (Windows: `process`, `hyperv`).",
                ),
                prop("privileged", BOOL_STR, "Build with extended privileges."),
                prop(
                    "secrets",
                    SERVICE_CONFIG_OR_SECRET,
                    "Top-level secrets the build may mount (`RUN --mount=type=secret,id=<name>`).",
                ),
                prop(
                    "tags",
                    STRINGS,
                    "More tags for the built image (besides `image`).",
                ),
                prop(
                    "ulimits",
                    ULIMITS,
                    "Resource limits for `RUN` instructions.",
                ),
                prop(
                    "platforms",
                    STRINGS,
                    "Platforms to build for: `linux/amd64`, `linux/arm64`.",
                ),
            ],
        )),
    ],
    kind: "string or mapping",
    expected: "a context path or a mapping with `context`, `dockerfile`…",
});

const BLKIO_LIMITS: Shape = Shape::List(&List {
    item: Shape::Map(&strict(
        "property",
        &[
            prop("path", STR, "The block device: `/dev/sda`."),
            prop(
                "rate",
                INT_STR,
                "The limit: bytes per second (`12mb`) or operations per second.",
            ),
        ],
    )),
    unique: false,
});

const DEPENDS_ON: Shape = Shape::OneOf(&OneOf {
    alternatives: &[
        UNIQUE_STRINGS,
        Shape::Map(&Map {
            what: "service name",
            nullable: false,
            props: &[],
            patterns: &[Pattern {
                key: KeyPattern::Name,
                shape: Shape::Map(
                    &closed(
                        "depends_on property",
                        &[
                            prop("restart", BOOL_STR, "Restart this service when the dependency is updated."),
                            prop(
                                "required",
                                BOOL,
                                "`false`: only warn when the dependency is not running or not defined. Default: `true`.",
                            ),
                            prop(
                                "condition",
                                one_of_values(&[
                                    "service_started",
                                    "service_healthy",
                                    "service_completed_successfully",
                                ]),
                                "What to wait for: `service_started` (the container started), `service_healthy` (its `healthcheck` passes) or `service_completed_successfully` (it exited with 0).",
                            ),
                        ],
                    )
                    .require(&["condition"]),
                ),
                label: "service name",
                doc: "A service this one depends on, and what to wait for.",
            }],
            closed: true,
            required: &[],
        }),
    ],
    kind: "list or mapping",
    expected: "a list of service names or a mapping of service names to `condition`",
});

const DEVICES: Shape = Shape::List(&List {
    item: Shape::OneOf(&OneOf {
        alternatives: &[
            STR,
            Shape::Map(
                &closed(
                    "device property",
                    &[
                        prop("source", STR, "The device on the host: `/dev/ttyUSB0`."),
                        prop(
                            "target",
                            STR,
                            "The device in the container (default: the same path).",
                        ),
                        prop("permissions", STR, "Cgroup permissions: `rwm`."),
                    ],
                )
                .require(&["source"]),
            ),
        ],
        kind: "string or mapping",
        expected: "a string like `/dev/ttyUSB0:/dev/ttyUSB0` or a mapping with `source`",
    }),
    unique: false,
});

const ENV_FILE: Shape = Shape::OneOf(&OneOf {
    alternatives: &[
        STR,
        Shape::List(&List {
            item: Shape::OneOf(&OneOf {
                alternatives: &[
                    STR,
                    Shape::Map(
                        &strict(
                            "env_file property",
                            &[
                                prop("path", STR, "The file, relative to the Compose file."),
                                prop("format", STR, "The file's format: `raw` keeps values as written, with no unquoting or interpolation."),
                                prop("required", BOOL_STR, "`false`: a missing file is not an error. Default: `true`."),
                            ],
                        )
                        .require(&["path"]),
                    ),
                ],
                kind: "string or mapping",
                expected: "a path or a mapping with `path`",
            }),
            unique: false,
        }),
    ],
    kind: "string or list",
    expected: "a path or a list of paths",
});

const HEALTHCHECK: Map = closed(
    "healthcheck property",
    &[
        prop(
            "disable",
            BOOL_STR,
            "`true`: turn off the image's healthcheck.",
        ),
        prop(
            "interval",
            DURATION,
            "Time between checks: `30s` (default).",
        ),
        prop(
            "retries",
            NUM_STR,
            "Failures in a row before the container is unhealthy (default 3).",
        ),
        prop(
            "test",
            Shape::OneOf(&OneOf {
                alternatives: &[STR, STRINGS],
                kind: "string or list of strings",
                expected: "a string (run by a shell) or a list starting with `CMD`, `CMD-SHELL` or `NONE`",
            }),
            "The check: `[\"CMD\", \"curl\", \"-f\", \"http://localhost\"]` (no shell), `[\"CMD-SHELL\", \"curl -f http://localhost || exit 1\"]` or a string (run by a shell). `[\"NONE\"]` turns it off.",
        ),
        prop(
            "timeout",
            DURATION,
            "How long one check may take: `30s` (default).",
        ),
        prop(
            "start_period",
            DURATION,
            "Time for the container to start: failures do not count during it.",
        ),
        prop(
            "start_interval",
            DURATION,
            "Time between checks during `start_period`.",
        ),
    ],
);

const LOGGING: Shape = Shape::Map(&closed(
    "logging property",
    &[
        prop(
            "driver",
            STR,
            "The logging driver: `json-file` (default), `local`, `syslog`, `none`…",
        ),
        prop(
            "options",
            string_values!("option", scalar(STRING | NUMBER | NULL)),
            "Driver options: `max-size: 10m`, `max-file: \"3\"`.",
        ),
    ],
));

const SERVICE_MODELS: Shape = Shape::OneOf(&OneOf {
    alternatives: &[
        UNIQUE_STRINGS,
        Shape::Map(&Map {
            what: "model name",
            nullable: false,
            props: &[],
            patterns: &[Pattern {
                key: KeyPattern::Name,
                shape: Shape::Map(
                    &closed(
                        "model property",
                        &[
                            prop(
                                "endpoint_var",
                                STR,
                                "The variable that receives the model's endpoint URL.",
                            ),
                            prop(
                                "model_var",
                                STR,
                                "The variable that receives the model's name.",
                            ),
                        ],
                    )
                    .or_null(),
                ),
                label: "model name",
                doc: "A top-level model the service uses.",
            }],
            closed: false,
            required: &[],
        }),
    ],
    kind: "list or mapping",
    expected: "a list of model names or a mapping of model names to options",
});

const SERVICE_NETWORKS: Shape = Shape::OneOf(&OneOf {
    alternatives: &[
        UNIQUE_STRINGS,
        Shape::Map(&Map {
            what: "network name",
            nullable: false,
            props: &[],
            patterns: &[Pattern {
                key: KeyPattern::Name,
                shape: Shape::Map(
                    &closed(
                        "network property",
                        &[
                            prop(
                                "aliases",
                                UNIQUE_STRINGS,
                                "More host names of the service on this network.",
                            ),
                            prop(
                                "interface_name",
                                STR,
                                "The name of the network interface in the container.",
                            ),
                            prop(
                                "ipv4_address",
                                STR,
                                "A static IPv4 address (in a subnet of the network's `ipam`).",
                            ),
                            prop("ipv6_address", STR, "A static IPv6 address."),
                            prop("link_local_ips", UNIQUE_STRINGS, "Link-local addresses."),
                            prop("mac_address", STR, "The MAC address on this network."),
                            prop(
                                "driver_opts",
                                DRIVER_OPTS,
                                "Options for the network driver.",
                            ),
                            prop(
                                "priority",
                                NUM,
                                "Order in which networks are connected (highest first).",
                            ),
                            prop(
                                "gw_priority",
                                NUM,
                                "The network with the highest value provides the default gateway.",
                            ),
                        ],
                    )
                    .or_null(),
                ),
                label: "network name",
                doc: "A network the service joins, with options (or empty).",
            }],
            closed: true,
            required: &[],
        }),
    ],
    kind: "list or mapping",
    expected: "a list of network names or a mapping of network names to options",
});

const PORTS: Shape = Shape::List(&List {
    item: Shape::OneOf(&OneOf {
        alternatives: &[
            NUM,
            formatted(STRING, Format::Port),
            Shape::Map(&closed(
                "port property",
                &[
                    prop("name", STR, "A name for the port, to document what it is."),
                    prop(
                        "mode",
                        formatted(STRING, Format::OneOf(&["host", "ingress"])),
                        "`ingress` (default, load balanced) or `host` (published on each node).",
                    ),
                    prop(
                        "host_ip",
                        STR,
                        "The host address to bind: `127.0.0.1` keeps the port local.",
                    ),
                    prop("target", INT_STR, "The port in the container."),
                    prop(
                        "published",
                        INT_STR,
                        "The port (or range `8000-8010`) on the host.",
                    ),
                    prop(
                        "protocol",
                        formatted(STRING, Format::Protocol),
                        "`tcp` (default), `udp` or `sctp`.",
                    ),
                    prop(
                        "app_protocol",
                        STR,
                        "The application protocol (`http`, `grpc`), as a hint.",
                    ),
                ],
            )),
        ],
        kind: "string or mapping",
        expected: "a string like `\"8080:80\"` or a mapping with `target`",
    }),
    unique: true,
});

const SERVICE_VOLUMES: Shape = Shape::List(&List {
    item: Shape::OneOf(&OneOf {
        alternatives: &[
            STR,
            Shape::Map(
                &closed(
                    "volume property",
                    &[
                        prop(
                            "type",
                            one_of_values(&["bind", "volume", "tmpfs", "cluster", "npipe", "image"]),
                            "`volume` (a named or anonymous volume), `bind` (a host path), `tmpfs`, `image`, `npipe` or `cluster`.",
                        ),
                        prop("source", STR, "The volume name, the host path (`bind`), or the image (`image`)."),
                        prop("target", STR, "The path in the container."),
                        prop("read_only", BOOL_STR, "Mount read-only."),
                        prop("consistency", STR, "Consistency of the mount (Docker Desktop on macOS): `cached`, `delegated`."),
                        prop(
                            "bind",
                            Shape::Map(&closed(
                                "bind property",
                                &[
                                    prop("propagation", STR, "Mount propagation: `rprivate` (default), `shared`, `slave`…"),
                                    prop(
                                        "create_host_path",
                                        BOOL_STR,
                                        "Create the host path if missing (the default for the short syntax).",
                                    ),
                                    prop(
                                        "recursive",
                                        one_of_values(&["enabled", "disabled", "writable", "readonly"]),
                                        "How submounts are mounted.",
                                    ),
                                    prop(
                                        "selinux",
                                        one_of_values(&["z", "Z"]),
                                        "SELinux relabelling: `z` (shared) or `Z` (private).",
                                    ),
                                ],
                            )),
                            "Options of a `bind` mount.",
                        ),
                        prop(
                            "volume",
                            Shape::Map(&closed(
                                "volume option",
                                &[
                                    LABELS,
                                    prop("nocopy", BOOL_STR, "Do not copy the image's files into a new volume."),
                                    prop("subpath", STR, "Mount only this folder of the volume."),
                                ],
                            )),
                            "Options of a `volume` mount.",
                        ),
                        prop(
                            "tmpfs",
                            Shape::Map(&closed(
                                "tmpfs property",
                                &[
                                    prop(
                                        "size",
                                        Shape::OneOf(&OneOf {
                                            alternatives: &[bounded(INTEGER, 0, None), BYTES],
                                            kind: "byte size",
                                            expected: "a size in bytes or a string like `64m`",
                                        }),
                                        "Size of the tmpfs: bytes or `64m`.",
                                    ),
                                    prop("mode", NUM_STR, "Permissions of the tmpfs, in octal: `1777`."),
                                ],
                            )),
                            "Options of a `tmpfs` mount.",
                        ),
                        prop(
                            "image",
                            Shape::Map(&closed(
                                "image property",
                                &[prop("subpath", STR, "Mount only this folder of the image.")],
                            )),
                            "Options of an `image` mount.",
                        ),
                    ],
                )
                .require(&["type"]),
            ),
        ],
        kind: "string or mapping",
        expected: "a string like `\"./data:/data\"` or a mapping with `type`",
    }),
    unique: true,
});

const PROVIDER: Shape = Shape::Map(
    &closed(
        "provider property",
        &[
            prop(
                "type",
                STR,
                "The provider: a Compose plugin or binary that manages the service.",
            ),
            prop(
                "options",
                string_values!(
                    "option",
                    Shape::OneOf(&OneOf {
                        alternatives: &[
                            scalar(STRING | NUMBER | BOOLEAN),
                            Shape::List(&List {
                                item: scalar(STRING | NUMBER | BOOLEAN),
                                unique: false,
                            }),
                        ],
                        kind: "scalar or list",
                        expected: "a string, number or boolean, or a list of them",
                    }),
                ),
                "Options passed to the provider.",
            ),
        ],
    )
    .require(&["type"]),
);

pub(crate) const SERVICE_PROPS: &[Prop] = &[
    prop(
        "develop",
        Shape::Map(&DEVELOPMENT),
        "Development settings: the `watch` rules of `docker compose watch`.",
    ),
    prop(
        "deploy",
        Shape::Map(&DEPLOYMENT),
        "Deployment settings: replicas, resources (CPU, memory, GPUs), restart and update policies.",
    ),
    prop(
        "annotations",
        LIST_OR_DICT,
        "Annotations of the container (OCI), as a mapping or a list of `key=value`.",
    ),
    prop(
        "attach",
        BOOL_STR,
        "`false`: `docker compose up` does not show this service's logs. Default: `true`.",
    ),
    prop(
        "build",
        BUILD,
        "How to build the image: a context path (`build: ./app`) or a mapping (`context`, `dockerfile`, `args`, `target`…). With `image` too, the built image gets that name.",
    ),
    prop(
        "blkio_config",
        Shape::Map(&strict(
            "blkio_config property",
            &[
                prop(
                    "device_read_bps",
                    BLKIO_LIMITS,
                    "Read rate limits per device, in bytes per second.",
                ),
                prop(
                    "device_read_iops",
                    BLKIO_LIMITS,
                    "Read rate limits per device, in operations per second.",
                ),
                prop(
                    "device_write_bps",
                    BLKIO_LIMITS,
                    "Write rate limits per device, in bytes per second.",
                ),
                prop(
                    "device_write_iops",
                    BLKIO_LIMITS,
                    "Write rate limits per device, in operations per second.",
                ),
                prop("weight", INT_STR, "Relative block IO weight, 10 to 1000."),
                prop(
                    "weight_device",
                    Shape::List(&List {
                        item: Shape::Map(&strict(
                            "property",
                            &[
                                prop("path", STR, "The block device: `/dev/sda`."),
                                prop("weight", INT_STR, "The weight for this device, 10 to 1000."),
                            ],
                        )),
                        unique: false,
                    }),
                    "Block IO weight per device.",
                ),
            ],
        )),
        "Block IO limits of the container.",
    ),
    prop(
        "cap_add",
        UNIQUE_STRINGS,
        "Linux capabilities to add: `[NET_ADMIN]`.",
    ),
    prop(
        "cap_drop",
        UNIQUE_STRINGS,
        "Linux capabilities to drop: `[ALL]` then add back what is needed.",
    ),
    prop(
        "cgroup",
        one_of_values(&["host", "private"]),
        "The cgroup namespace: `host` or `private`.",
    ),
    prop("cgroup_parent", STR, "The parent cgroup of the container."),
    prop(
        "command",
        COMMAND,
        "Overrides the image's `CMD`. A string is split like a shell would (but not run by one); a list is used as is: `[\"npm\", \"start\"]`.",
    ),
    prop(
        "configs",
        SERVICE_CONFIG_OR_SECRET,
        "Top-level configs mounted into the container (at `/<name>` by default).",
    ),
    prop(
        "container_name",
        formatted(STRING, Format::ContainerName),
        "A fixed container name instead of `<project>-<service>-<n>`. The service cannot then be scaled past one replica.",
    ),
    prop(
        "cpu_count",
        Shape::OneOf(&OneOf {
            alternatives: &[STR, bounded(INTEGER, 0, None)],
            kind: "integer",
            expected: "a whole number of CPUs",
        }),
        "How many CPUs the container may use (Windows).",
    ),
    prop(
        "cpu_percent",
        Shape::OneOf(&OneOf {
            alternatives: &[STR, bounded(INTEGER, 0, Some(100))],
            kind: "integer",
            expected: "a percentage from 0 to 100",
        }),
        "The share of the CPUs the container may use, in percent (Windows).",
    ),
    prop("cpu_shares", NUM_STR, "Relative CPU weight (default 1024)."),
    prop(
        "cpu_quota",
        NUM_STR,
        "CPU time the container may use per `cpu_period`, in microseconds.",
    ),
    prop(
        "cpu_period",
        NUM_STR,
        "The CFS period, in microseconds (default 100000).",
    ),
    prop(
        "cpu_rt_period",
        NUM_STR,
        "The real-time scheduler period, in microseconds.",
    ),
    prop(
        "cpu_rt_runtime",
        NUM_STR,
        "The real-time scheduler runtime, in microseconds.",
    ),
    prop(
        "cpus",
        NUM_STR,
        "How many CPUs the container may use: `1.5`.",
    ),
    prop(
        "cpuset",
        STR,
        "The CPUs the container may run on: `0-3` or `0,1`.",
    ),
    prop(
        "credential_spec",
        Shape::Map(&closed(
            "credential_spec property",
            &[
                prop(
                    "config",
                    STR,
                    "A top-level config holding the credential spec.",
                ),
                prop("file", STR, "A credential spec file."),
                prop(
                    "registry",
                    STR,
                    "A registry value holding the credential spec.",
                ),
            ],
        )),
        "A gMSA credential spec (Windows containers).",
    ),
    prop(
        "depends_on",
        DEPENDS_ON,
        "Services to start first. A list only waits for them to start; to wait for a `healthcheck`, use the long form:\n```yaml\ndepends_on:\n  db:\n    condition: service_healthy\n```",
    ),
    prop(
        "device_cgroup_rules",
        UNIQUE_STRINGS,
        "Device cgroup rules: `c 1:3 mr`.",
    ),
    prop(
        "devices",
        DEVICES,
        "Host devices to expose: `/dev/ttyUSB0:/dev/ttyUSB0`.",
    ),
    prop("dns", STRING_OR_LIST, "DNS servers for the container."),
    prop("dns_opt", UNIQUE_STRINGS, "DNS resolver options: `use-vc`."),
    prop("dns_search", STRING_OR_LIST, "DNS search domains."),
    prop("domainname", STR, "The domain name of the container."),
    prop(
        "entrypoint",
        COMMAND,
        "Overrides the image's `ENTRYPOINT` (and resets its `CMD`). A list is used as is.",
    ),
    prop(
        "env_file",
        ENV_FILE,
        "Files of `KEY=value` lines set **in the container**. They are not used to interpolate `${VAR}` in the Compose file: that is the project's `.env`.",
    ),
    prop(
        "label_file",
        Shape::OneOf(&OneOf {
            alternatives: &[STR, STRINGS],
            kind: "string or list",
            expected: "a path or a list of paths",
        }),
        "Files of `key=value` lines added as labels.",
    ),
    prop(
        "environment",
        LIST_OR_DICT,
        "Environment variables set in the container: a mapping (`DEBUG: \"1\"`) or a list (`- DEBUG=1`). A name without a value takes it from the shell running Compose.",
    ),
    prop(
        "expose",
        Shape::List(&List {
            item: formatted(STRING | NUMBER, Format::Expose),
            unique: true,
        }),
        "Ports the container listens on, for other services: not published on the host (that is `ports`).",
    ),
    prop(
        "extends",
        Shape::OneOf(&OneOf {
            alternatives: &[
                STR,
                Shape::Map(
                    &strict(
                        "extends property",
                        &[
                            prop("service", STR, "The service to extend."),
                            prop("file", STR, "The file defining it (default: this file)."),
                        ],
                    )
                    .require(&["service"]),
                ),
            ],
            kind: "string or mapping",
            expected: "a service name or a mapping with `service`",
        }),
        "Start from another service's configuration (in this file or in `file`) and override it.",
    ),
    prop(
        "provider",
        PROVIDER,
        "A provider manages this service instead of a container (a Compose plugin).",
    ),
    prop(
        "external_links",
        UNIQUE_STRINGS,
        "Links to containers started outside this project (legacy).",
    ),
    prop(
        "extra_hosts",
        EXTRA_HOSTS,
        "Extra `/etc/hosts` entries: `host.docker.internal:host-gateway`.",
    ),
    prop(
        "gpus",
        GPUS,
        "GPUs for the container: `all` or device requests.",
    ),
    prop(
        "group_add",
        Shape::List(&List {
            item: scalar(STRING | NUMBER),
            unique: true,
        }),
        "Extra groups (names or ids) of the container's user.",
    ),
    prop(
        "healthcheck",
        Shape::Map(&HEALTHCHECK),
        "How to check that the container works; `depends_on` with `condition: service_healthy` waits for it.",
    ),
    prop("hostname", STR, "The container's host name."),
    prop(
        "image",
        STR,
        "The image to run: `nginx:1.27`, `ghcr.io/org/app@sha256:…`. With `build`, the name given to the built image.",
    ),
    prop(
        "init",
        BOOL_STR,
        "Run an init process (PID 1) that forwards signals and reaps zombies.",
    ),
    prop(
        "ipc",
        STR,
        "The IPC namespace: `shareable`, `host`, `service:<name>`.",
    ),
    prop(
        "isolation",
        STR,
        "Isolation technology (Windows: `process`, `hyperv`).",
    ),
    LABELS,
    prop(
        "links",
        UNIQUE_STRINGS,
        "Legacy links to other services; services on a shared network reach each other by name anyway.",
    ),
    prop("logging", LOGGING, "The logging driver and its options."),
    prop("mac_address", STR, "The container's MAC address."),
    prop(
        "mem_limit",
        NUM_BYTES,
        "The most memory the container may use: `512m`.",
    ),
    prop("mem_reservation", INT_BYTES, "A soft memory limit: `256m`."),
    prop(
        "mem_swappiness",
        INT_STR,
        "How readily the kernel swaps the container's memory, 0 to 100.",
    ),
    prop(
        "memswap_limit",
        NUM_STR,
        "Memory plus swap the container may use (`-1`: unlimited swap).",
    ),
    prop(
        "network_mode",
        STR,
        "`bridge`, `host`, `none`, `service:<name>` or `container:<name>`. Cannot be used together with `networks`.",
    ),
    prop(
        "models",
        SERVICE_MODELS,
        "Top-level models the service uses; their endpoints are given to it as variables.",
    ),
    prop(
        "networks",
        SERVICE_NETWORKS,
        "Networks the service joins (default: the project's `default` network). Not with `network_mode`.",
    ),
    prop(
        "oom_kill_disable",
        BOOL_STR,
        "Do not kill the container when it runs out of memory.",
    ),
    prop(
        "oom_score_adj",
        Shape::OneOf(&OneOf {
            alternatives: &[STR, bounded(INTEGER, -1000, Some(1000))],
            kind: "integer",
            expected: "a number from -1000 to 1000",
        }),
        "How likely the kernel kills the container when memory runs out, -1000 to 1000.",
    ),
    prop(
        "pid",
        scalar(STRING | NULL),
        "The PID namespace: `host` or `service:<name>`.",
    ),
    prop(
        "pids_limit",
        NUM_STR,
        "The most processes the container may run (`-1`: unlimited).",
    ),
    prop("platform", STR, "The platform of the image: `linux/amd64`."),
    prop(
        "ports",
        PORTS,
        "Ports published on the host: `\"HOST:CONTAINER\"`, the host port first (`\"8080:80\"`). Quote them: YAML reads `22:22` as a number. Bind to `127.0.0.1:8080:80` to keep a port local.",
    ),
    prop(
        "pre_start",
        Shape::List(&List {
            item: PRE_START_HOOK,
            unique: false,
        }),
        "Commands run before the container starts.",
    ),
    prop(
        "post_start",
        Shape::List(&List {
            item: SERVICE_HOOK,
            unique: false,
        }),
        "Commands run in the container after it starts.",
    ),
    prop(
        "pre_stop",
        Shape::List(&List {
            item: SERVICE_HOOK,
            unique: false,
        }),
        "Commands run in the container before it stops.",
    ),
    prop(
        "privileged",
        BOOL_STR,
        "Give the container almost all the host's privileges. Avoid it.",
    ),
    prop(
        "profiles",
        UNIQUE_STRINGS,
        "The service only starts when one of these profiles is active (`--profile`).",
    ),
    prop(
        "pull_policy",
        formatted(STRING, Format::PullPolicy),
        "When to pull the image: `always`, `never`, `missing` (default), `build`, `daily`, `weekly` or `every_<duration>`.",
    ),
    prop(
        "pull_refresh_after",
        STR,
        "How long a pulled image stays fresh before it is pulled again.",
    ),
    prop(
        "read_only",
        BOOL_STR,
        "Mount the container's root filesystem read-only.",
    ),
    prop(
        "restart",
        formatted(STRING, Format::Restart),
        "When to restart the container: `no` (default), `always`, `on-failure[:max]` or `unless-stopped`. Quote `\"no\"`: plain `no` is read as `false` by YAML 1.1 tools.",
    ),
    prop("runtime", STR, "The container runtime: `runc`, `nvidia`…"),
    prop(
        "scale",
        INT_STR,
        "How many containers to run (same as `deploy.replicas`).",
    ),
    prop(
        "security_opt",
        UNIQUE_STRINGS,
        "Security options: `no-new-privileges:true`, `seccomp=…`.",
    ),
    prop("shm_size", NUM_BYTES, "Size of `/dev/shm`: `256m`."),
    prop(
        "secrets",
        SERVICE_CONFIG_OR_SECRET,
        "Top-level secrets mounted into the container at `/run/secrets/<name>`.",
    ),
    prop(
        "sysctls",
        LIST_OR_DICT,
        "Kernel parameters: `net.core.somaxconn: 1024`.",
    ),
    prop("stdin_open", BOOL_STR, "Keep stdin open (`docker run -i`)."),
    prop(
        "stop_grace_period",
        DURATION,
        "How long to wait after `stop_signal` before killing the container: `1m30s` (default `10s`).",
    ),
    prop(
        "stop_signal",
        STR,
        "The signal that stops the container: `SIGTERM` (default), `SIGQUIT`…",
    ),
    prop(
        "storage_opt",
        string_values!("option", Shape::Any),
        "Storage driver options: `size: 20G`.",
    ),
    prop(
        "tmpfs",
        STRING_OR_LIST,
        "tmpfs mounts: `/run` or `/tmp:size=64m`.",
    ),
    prop("tty", BOOL_STR, "Allocate a terminal (`docker run -t`)."),
    prop(
        "ulimits",
        ULIMITS,
        "Resource limits: `nofile: {soft: 1024, hard: 4096}`.",
    ),
    prop(
        "use_api_socket",
        BOOL,
        "Give the container access to the Docker engine API socket.",
    ),
    prop(
        "user",
        STR,
        "The user (and group) the container runs as: `1000:1000` or `app`.",
    ),
    prop("uts", STR, "The UTS namespace: `host`."),
    prop("userns_mode", STR, "The user namespace: `host`."),
    prop(
        "volumes",
        SERVICE_VOLUMES,
        "Mounts: `\"./data:/data\"` (a host path: starts with `.` or `/`), `\"db:/var/lib/db\"` (a named volume, declared under top-level `volumes`), `\"/cache\"` (anonymous), with `:ro` for read-only.",
    ),
    prop(
        "volumes_from",
        UNIQUE_STRINGS,
        "Mount all volumes of another service or container: `service:ro`.",
    ),
    prop("working_dir", STR, "Overrides the image's `WORKDIR`."),
];

const SERVICE: Map = closed("service property", SERVICE_PROPS);

// --- Top-level resources --------------------------------------------------------------------

const NETWORK: Map = closed(
    "network property",
    &[
        prop("name", STR, "The network's real name (default: `<project>_<key>`); with `external`, the existing network."),
        prop("driver", STR, "The network driver: `bridge` (default), `overlay`, `macvlan`, `host`, `none`."),
        prop("driver_opts", DRIVER_OPTS, "Options for the driver."),
        prop(
            "ipam",
            Shape::Map(&closed(
                "ipam property",
                &[
                    prop("driver", STR, "The IPAM driver (default: `default`)."),
                    prop(
                        "config",
                        Shape::List(&List {
                            item: Shape::Map(&closed(
                                "ipam config property",
                                &[
                                    prop("subnet", STR, "The subnet, in CIDR: `172.28.0.0/16`."),
                                    prop("ip_range", STR, "The range addresses are given from: `172.28.5.0/24`."),
                                    prop("gateway", STR, "The gateway address."),
                                    prop(
                                        "aux_addresses",
                                        Shape::Map(&Map {
                                            what: "host name",
                                            nullable: false,
                                            props: &[],
                                            patterns: &[Pattern {
                                                key: KeyPattern::NonEmpty,
                                                shape: STR,
                                                label: "host name",
                                                doc: "A host name and its reserved address.",
                                            }],
                                            closed: true,
                                            required: &[],
                                        }),
                                        "Addresses the driver must not hand out, by host name.",
                                    ),
                                ],
                            )),
                            unique: false,
                        }),
                        "Subnets and gateways.",
                    ),
                    prop(
                        "options",
                        Shape::Map(&Map {
                            what: "option",
                            nullable: false,
                            props: &[],
                            patterns: &[Pattern {
                                key: KeyPattern::NonEmpty,
                                shape: STR,
                                label: "option",
                                doc: "A driver option.",
                            }],
                            closed: true,
                            required: &[],
                        }),
                        "Options for the IPAM driver.",
                    ),
                ],
            )),
            "IP address management: subnets, ranges, gateways.",
        ),
        prop("external", EXTERNAL, EXTERNAL_DOC),
        prop("internal", BOOL_STR, "`true`: no access to the outside world."),
        prop("enable_ipv4", BOOL_STR, "`false`: no IPv4 addresses on this network."),
        prop("enable_ipv6", BOOL_STR, "Give containers IPv6 addresses on this network."),
        prop("attachable", BOOL_STR, "Let standalone containers join the network (overlay networks)."),
        LABELS,
    ],
)
.or_null();

const VOLUME: Map = closed(
    "volume property",
    &[
        prop("name", STR, "The volume's real name (default: `<project>_<key>`); with `external`, the existing volume."),
        prop("driver", STR, "The volume driver (default: `local`)."),
        prop("driver_opts", DRIVER_OPTS, "Options for the driver: `type: nfs`, `o: addr=…`, `device: :/path`."),
        prop("external", EXTERNAL, EXTERNAL_DOC),
        LABELS,
    ],
)
.or_null();

const SECRET: Map = closed(
    "secret property",
    &[
        prop("name", STR, "The secret's real name on the platform."),
        prop(
            "environment",
            STR,
            "The secret's value is this variable of the environment running Compose.",
        ),
        prop(
            "file",
            STR,
            "The secret's value is this file's content (relative to the Compose file).",
        ),
        prop("external", EXTERNAL_OPEN, EXTERNAL_DOC),
        LABELS,
        prop("driver", STR, "The secret driver (Swarm)."),
        prop("driver_opts", DRIVER_OPTS, "Options for the driver."),
        prop(
            "template_driver",
            STR,
            "The templating driver applied to the secret: `golang`.",
        ),
    ],
);

const CONFIG: Map = closed(
    "config property",
    &[
        prop("name", STR, "The config's real name on the platform."),
        prop(
            "content",
            STR,
            "The config's content, written inline (interpolated).",
        ),
        prop(
            "environment",
            STR,
            "The config's content is this variable of the environment running Compose.",
        ),
        prop(
            "file",
            STR,
            "The config's content is this file (relative to the Compose file).",
        ),
        prop("external", EXTERNAL_OPEN, EXTERNAL_DOC),
        LABELS,
        prop(
            "template_driver",
            STR,
            "The templating driver applied to the config: `golang`.",
        ),
    ],
);

const MODEL: Map = closed(
    "model property",
    &[
        prop("name", STR, "A name for the model in the project."),
        prop(
            "model",
            STR,
            "The model to run: an OCI reference like `ai/smollm2`.",
        ),
        prop("context_size", INT, "The context window, in tokens."),
        prop(
            "runtime_flags",
            STRINGS,
            "Flags passed to the inference engine.",
        ),
    ],
)
.require(&["model"]);

const INCLUDE: Shape = Shape::OneOf(&OneOf {
    alternatives: &[
        STR,
        Shape::Map(&strict(
            "include property",
            &[
                prop(
                    "path",
                    STRING_OR_LIST,
                    "The Compose file(s) to include (several are merged like `-f`).",
                ),
                prop(
                    "env_file",
                    STRING_OR_LIST,
                    "Env files for the included project's interpolation (default: its `.env`).",
                ),
                prop(
                    "project_directory",
                    STR,
                    "Where the included project's relative paths resolve from (default: its folder).",
                ),
            ],
        )),
    ],
    kind: "string or mapping",
    expected: "a path or a mapping with `path`",
});

/// A top-level section: resources by name.
macro_rules! section {
    ($label:expr, $shape:expr, $doc:expr, $closed:expr) => {
        Shape::Map(&Map {
            what: $label,
            nullable: false,
            props: &[],
            patterns: &[Pattern {
                key: KeyPattern::Name,
                shape: $shape,
                label: $label,
                doc: $doc,
            }],
            closed: $closed,
            required: &[],
        })
    };
}

pub(crate) const ROOT: Map = closed(
    "top-level key",
    &[
        deprecated(
            "version",
            STR,
            "Obsolete: Compose ignores it and always uses the latest specification. Remove it.",
        ),
        prop(
            "name",
            STR,
            "The project name (default: the folder name). Lowercase letters, digits, `-` and `_`.",
        ),
        prop(
            "include",
            Shape::List(&List {
                item: INCLUDE,
                unique: false,
            }),
            "Other Compose projects to include, each loaded with its own directory and `.env`:\n```yaml\ninclude:\n  - ../db/compose.yaml\n```",
        ),
        prop(
            "services",
            section!(
                "service name",
                Shape::Map(&SERVICE),
                "A service: the containers running one image with one configuration.",
                true
            ),
            "The services of the project, by name.",
        ),
        prop(
            "models",
            section!(
                "model name",
                Shape::Map(&MODEL),
                "An AI model the services may use.",
                false
            ),
            "AI models run by Docker Model Runner for the services.",
        ),
        prop(
            "networks",
            section!(
                "network name",
                Shape::Map(&NETWORK),
                "A network services can join.",
                false
            ),
            "Networks services join (`default` is created unless redefined).",
        ),
        prop(
            "volumes",
            section!(
                "volume name",
                Shape::Map(&VOLUME),
                "A named volume services can mount.",
                true
            ),
            "Named volumes: declare here those services mount by name.",
        ),
        prop(
            "secrets",
            section!(
                "secret name",
                Shape::Map(&SECRET),
                "A secret services can be granted.",
                true
            ),
            "Secrets, from a `file` or an `environment` variable; granted to services with their `secrets`.",
        ),
        prop(
            "configs",
            section!(
                "config name",
                Shape::Map(&CONFIG),
                "A config services can mount.",
                true
            ),
            "Configuration files, from a `file`, an `environment` variable or inline `content`.",
        ),
    ],
);
