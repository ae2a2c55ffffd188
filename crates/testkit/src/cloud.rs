//! The simulated cloud of one test: one instance or several on one database,
//! SQLite or PostgreSQL, HTTP or HTTPS, QA on or off.

use crate::{database, Api, Qa, WAIT};
use hik_cloud::{Config, Location, Rules, RunningCloud};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How a cloud is to start; `Cloud::builder()` makes one.
pub struct Builder {
    config: Config,
    instances: usize,
    https: bool,
    database: Option<Location>,
    postgres: bool,
    own_runtimes: bool,
}

impl Builder {
    /// `n` instances on one database (default 1). Several need PostgreSQL
    /// for the same accounts to be served by each.
    pub fn instances(mut self, n: usize) -> Self {
        self.instances = n.max(1);
        self
    }

    /// Serve HTTPS, with a certificate from a local CA the cloud makes at
    /// start (its certificate at `Cloud::ca`).
    pub fn https(mut self) -> Self {
        self.https = true;
        self
    }

    /// The QA surface on (the default) or off, as a production cloud runs.
    pub fn qa(mut self, on: bool) -> Self {
        self.config.qa = on;
        self
    }

    /// Adjust the rules (code length, cooldowns, limits, ...).
    pub fn rules(mut self, change: impl FnOnce(&mut Rules)) -> Self {
        change(&mut self.config.rules);
        self
    }

    /// Adjust any setting (delivery, hashing, regions, ...).
    pub fn config(mut self, change: impl FnOnce(&mut Config)) -> Self {
        change(&mut self.config);
        self
    }

    /// Use `db` (already made, perhaps holding data) instead of a fresh one.
    pub fn database(mut self, db: Location) -> Self {
        self.database = Some(db);
        self
    }

    /// Insist on PostgreSQL: starting fails loudly without
    /// `HIK_TEST_POSTGRES` (a test of several instances means nothing on a
    /// file each).
    pub fn postgres(mut self) -> Self {
        self.postgres = true;
        self
    }

    /// Run each instance on a runtime of its own, on its own threads, as it
    /// would be in its own process: a load generator's tasks then do not
    /// queue in front of the cloud's.
    pub fn own_runtimes(mut self) -> Self {
        self.own_runtimes = true;
        self
    }

    pub async fn start(self) -> Cloud {
        assert!(
            !(self.https && self.instances > 1),
            "the kit serves HTTPS from one instance only"
        );
        let dir = tempfile::tempdir().unwrap();
        let db = match self.database {
            Some(db) => db,
            None if self.postgres => {
                let server = database::postgres_server().expect(
                    "HIK_TEST_POSTGRES is not set: this test needs PostgreSQL \
                     (run it under scripts/with-postgres with --include-ignored)",
                );
                database::fresh_postgres(&server).await
            }
            None => database::fresh(dir.path()).await,
        };
        let ca = self.https.then(|| dir.path().join("ca.pem"));
        let mut config = self.config;
        config.db = db.clone();
        config.generate_ca.clone_from(&ca);
        let mut cloud = Cloud {
            instances: Vec::new(),
            configs: vec![config; self.instances],
            clients: Vec::new(),
            regions: Vec::new(),
            db,
            ca,
            own_runtimes: self.own_runtimes,
            _dir: dir,
        };
        for i in 0..self.instances {
            let (instance, regions) = cloud.launch(i).await.unwrap();
            // From now on, the same ports: a restart is the same cloud
            // coming back.
            for (region, (_, url)) in cloud.configs[i].regions.iter_mut().zip(&regions) {
                let domain = url.split_once("://").map_or(url.as_str(), |(_, d)| d);
                region.listen = domain.parse().unwrap();
            }
            // The CA is made once; a restart serves what it made.
            if let Some(ca) = &cloud.ca {
                cloud.configs[i].generate_ca = Some(ca.clone());
            }
            let http = cloud.http();
            cloud.clients.push(Api::on(&regions[0].1, http));
            if i == 0 {
                cloud.regions = regions;
            }
            cloud.instances.push(Some(instance));
        }
        cloud
    }
}

/// One running instance.
enum Instance {
    /// On the runtime of the test that started it.
    Here(RunningCloud),
    /// On a runtime of its own, in a thread that ends when told to stop.
    Thread {
        stop: tokio::sync::oneshot::Sender<()>,
        thread: std::thread::JoinHandle<()>,
    },
}

impl Instance {
    async fn stop(self) {
        match self {
            Self::Here(running) => running.shutdown().await,
            Self::Thread { stop, thread } => {
                let _ = stop.send(());
                tokio::task::spawn_blocking(move || thread.join())
                    .await
                    .unwrap()
                    .unwrap();
            }
        }
    }
}

/// A simulated cloud for one test. It derefs to the [`Api`] of its first
/// instance, so a test reads `cloud.login(...)`, `cloud.qa().latest_code(...)`.
pub struct Cloud {
    instances: Vec<Option<Instance>>,
    configs: Vec<Config>,
    clients: Vec<Api>,
    regions: Vec<(String, String)>,
    db: Location,
    ca: Option<PathBuf>,
    own_runtimes: bool,
    _dir: tempfile::TempDir,
}

impl Cloud {
    /// How a cloud is to start: the embedded cloud's two regions on
    /// loopback ports the OS picks, a fresh database, QA on, one instance.
    pub fn builder() -> Builder {
        Builder {
            config: Config::embedded(Location::File(PathBuf::new())),
            instances: 1,
            https: false,
            database: None,
            postgres: false,
            own_runtimes: false,
        }
    }

    /// A cloud as `builder()` describes it.
    pub async fn start() -> Self {
        Self::builder().start().await
    }

    /// An HTTP client that trusts this cloud (its CA, for HTTPS).
    pub fn http(&self) -> reqwest::Client {
        let mut http = reqwest::Client::builder().pool_max_idle_per_host(128);
        if let Some(ca) = &self.ca {
            let pem = std::fs::read(ca).unwrap();
            http = http.add_root_certificate(reqwest::Certificate::from_pem(&pem).unwrap());
        }
        http.build().unwrap()
    }

    async fn launch(&self, i: usize) -> Result<(Instance, Vec<(String, String)>), String> {
        let config = self.configs[i].clone();
        if !self.own_runtimes {
            let running = hik_cloud::spawn(config).await.map_err(|e| e.to_string())?;
            let regions = running.region_urls();
            return Ok((Instance::Here(running), regions));
        }
        let (started, on_start) = tokio::sync::oneshot::channel();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                match hik_cloud::spawn(config).await {
                    Ok(running) => {
                        let _ = started.send(Ok(running.region_urls()));
                        let _ = stopped.await;
                        running.shutdown().await;
                    }
                    Err(e) => {
                        let _ = started.send(Err(e.to_string()));
                    }
                }
            });
        });
        let regions = on_start.await.map_err(|e| e.to_string())??;
        Ok((Instance::Thread { stop, thread }, regions))
    }

    /// The first instance's first region (Europe: areas 44, 49, 33, 39).
    pub fn url(&self) -> &str {
        &self.clients[0].url
    }

    /// The first instance's regions: name and base URL.
    pub fn region_urls(&self) -> &[(String, String)] {
        &self.regions
    }

    /// The second region's base URL (the Americas and Asia-Pacific: 1, 55, 61).
    pub fn second_region_url(&self) -> &str {
        &self.regions[1].1
    }

    /// A client of the first instance's region `i` (0 is Europe, 1 the
    /// Americas and Asia-Pacific).
    pub fn region(&self, i: usize) -> Api {
        Api::on(&self.regions[i].1, self.clients[0].http.clone())
    }

    /// The CA certificate an HTTPS cloud made.
    pub fn ca(&self) -> Option<&Path> {
        self.ca.as_deref()
    }

    /// Where the cloud keeps its state.
    pub fn db(&self) -> &Location {
        &self.db
    }

    pub fn instances(&self) -> usize {
        self.clients.len()
    }

    /// The client of instance `i` (modulo their number): request `i` of a
    /// test can go to `at(i)`, as a load balancer would send it.
    pub fn at(&self, i: usize) -> &Api {
        &self.clients[i % self.clients.len()]
    }

    /// Every instance's base URL.
    pub fn urls(&self) -> Vec<String> {
        self.clients.iter().map(|c| c.url.clone()).collect()
    }

    /// Rows a query reads straight from the cloud's database.
    pub async fn stored(&self, sql: &str) -> Vec<Vec<Option<String>>> {
        database::stored(&self.db, sql).await
    }

    /// Stop every instance (finishing requests under way).
    pub async fn stop(&mut self) {
        for slot in &mut self.instances {
            if let Some(instance) = slot.take() {
                instance.stop().await;
            }
        }
    }

    /// Start every stopped instance again, on the same ports and database
    /// (retrying while the OS still holds a port).
    pub async fn start_again(&mut self) {
        for i in 0..self.instances.len() {
            if self.instances[i].is_some() {
                continue;
            }
            let deadline = Instant::now() + WAIT;
            loop {
                match self.launch(i).await {
                    Ok((instance, _)) => {
                        self.instances[i] = Some(instance);
                        break;
                    }
                    Err(e) if Instant::now() < deadline => {
                        eprintln!("instance {i} did not start again yet: {e}");
                        tokio::time::sleep(Duration::from_millis(200)).await;
                    }
                    Err(e) => panic!("instance {i} did not start again: {e}"),
                }
            }
        }
    }

    /// The QA surface of the first instance.
    pub fn qa(&self) -> &Qa {
        self.clients[0].qa()
    }
}

impl std::ops::Deref for Cloud {
    type Target = Api;

    fn deref(&self) -> &Api {
        &self.clients[0]
    }
}

impl Drop for Cloud {
    fn drop(&mut self) {
        for instance in self.instances.drain(..).flatten() {
            if let Instance::Thread { stop, thread } = instance {
                let _ = stop.send(());
                let _ = thread.join();
            }
        }
    }
}
