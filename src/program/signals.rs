//! Process signals: a future that completes on SIGINT (Ctrl-C) or SIGTERM, so services stop
//! cleanly under a terminal, systemd or a container runtime.

/// Completes when the process is asked to stop. The handlers are installed when this is
/// called, not when the future is first polled, so a SIGTERM that comes while the service is
/// still starting is not lost (nor does it kill the process uncleanly).
pub fn shutdown_requested() -> impl std::future::Future<Output = ()> + Send + 'static {
    #[cfg(unix)]
    let (interrupt, terminate) = {
        use tokio::signal::unix::{SignalKind, signal};
        let listen = |kind: SignalKind, name: &'static str| {
            let stream = signal(kind);
            async move {
                match stream {
                    Ok(mut stream) => {
                        stream.recv().await;
                    }
                    Err(e) => {
                        tracing::warn!(error.message = %e, "cannot listen for {name}");
                        std::future::pending::<()>().await;
                    }
                }
            }
        };
        (
            listen(SignalKind::interrupt(), "Ctrl-C"),
            listen(SignalKind::terminate(), "SIGTERM"),
        )
    };
    #[cfg(not(unix))]
    let (interrupt, terminate) = (
        async {
            if let Err(e) = tokio::signal::ctrl_c().await {
                tracing::warn!(error.message = %e, "cannot listen for Ctrl-C");
                std::future::pending::<()>().await;
            }
        },
        std::future::pending::<()>(),
    );
    async move {
        tokio::select! {
            () = interrupt => tracing::info!("interrupted"),
            () = terminate => tracing::info!("terminated"),
        }
    }
}
