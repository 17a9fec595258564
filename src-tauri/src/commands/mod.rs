//! Thin Tauri commands: translate arguments, call the domain, return DTOs.

pub mod clusters;
pub mod connect;
pub mod environment;
pub mod error;
pub mod provision;
pub mod spec;
mod state;
pub mod workloads;

pub use error::{AppError, ErrorCode};
pub use state::AppState;

/// Every command and type the UI can use; also what `bindings.ts` is made from.
pub fn specta_builder() -> tauri_specta::Builder<tauri::Wry> {
    tauri_specta::Builder::<tauri::Wry>::new()
        .commands(tauri_specta::collect_commands![
            environment::environment_choices,
            environment::caller_identity,
            clusters::list_clusters,
            clusters::kube_contexts,
            connect::connect_cluster,
            connect::connect_context,
            connect::allow_exec_plugin,
            connect::add_to_kubeconfig,
            workloads::watch_workloads,
            workloads::stop_workloads,
            workloads::pods_window,
            workloads::workloads_overview,
            workloads::node_cards,
            workloads::pod_detail,
            workloads::node_detail,
            workloads::delete_pod,
            workloads::stream_pod_logs,
            workloads::list_controllers,
            workloads::scale_controller,
            workloads::restart_controller,
            workloads::list_namespaces,
            workloads::list_events,
            spec::new_cluster_spec,
            spec::check_cluster_spec,
            spec::spec_choices,
            spec::plan_cluster_spec,
            spec::estimate_cost,
            spec::export_cluster_spec,
            spec::parse_cluster_spec,
            spec::suggest_subnets,
            spec::save_cluster_spec,
            spec::save_cluster_export,
            spec::saved_cluster_specs,
            spec::load_cluster_spec,
            spec::list_vpcs,
            provision::start_apply,
            provision::resume_run,
            provision::start_destroy,
            provision::destroy_leftovers,
            provision::cancel_run,
            provision::unfinished_runs,
            provision::run_journal,
            provision::run_plan,
        ])
        .typ::<AppError>()
}
