use clap::Parser;
use sao_server::config::{Cli, Command};
use sao_server::{cli, serve};
use std::io::Read;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout()))
        .init();
    let cli_args = Cli::parse();
    let args = match cli_args.command {
        None => cli_args.serve,
        Some(Command::Serve(args)) => args,
        Some(Command::Rules { action }) => return finish(cli::rules(&action)),
        Some(Command::InviteSuperAdmin(invite)) => {
            return finish(sao_server::invite_super_admin(&invite).await)
        }
        Some(Command::Holiday(holiday)) => return finish(sao_server::holiday(&holiday).await),
        Some(Command::Certificates(args)) => return finish(sao_server::certificates(&args).await),
        Some(Command::District(args)) => return finish(sao_server::district(&args).await),
        Some(Command::Gc(gc)) => return finish(sao_server::uploads::gc_command(&gc.server).await),
        Some(Command::Backup(args)) => {
            let done = sao_server::backup::backup(&args.server, &args.file).await;
            return finish(
                done.map(|m| sao_server::backup::summary("backed up into", &args.file, &m)),
            );
        }
        Some(Command::Restore(args)) => {
            let done = sao_server::backup::restore(&args.server, &args.file).await;
            return finish(done.map(|m| {
                sao_server::backup::summary("restored from", &args.file, &m)
                    + "; every table's row count equals the backup's"
            }));
        }
        Some(Command::VerifyRound(verify)) => {
            return finish(sao_server::verify_round(&verify).await)
        }
        Some(Command::Score(score_args)) => {
            let input = match score_args.input.as_deref() {
                Some(path) if path.as_os_str() != "-" => std::fs::read_to_string(path)
                    .map_err(|e| format!("không đọc được {}: {e}", path.display())),
                _ => {
                    let mut text = String::new();
                    std::io::stdin()
                        .read_to_string(&mut text)
                        .map(|_| text)
                        .map_err(|e| format!("không đọc được đầu vào: {e}"))
                }
            };
            return finish(input.and_then(|text| cli::score(&score_args, &text)));
        }
    };
    match serve(args).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!("{error}");
            eprintln!("sao: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// Prints a command's output, or its error on stderr with a non-zero exit.
fn finish(result: Result<String, String>) -> std::process::ExitCode {
    match result {
        Ok(output) => {
            print!("{output}");
            if !output.ends_with('\n') {
                println!();
            }
            std::process::ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("sao: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
