//! Speed at 100,000 accounts: score, load, render one frame, filter, sort, the Grid, opening Triage.
//!
//! `cargo bench` builds a 100,000-account demo book once under `target/` (about 15 s in release)
//! and reuses it on later runs.

use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use tend::book;
use tend::config::Config;
use tend::domain::{FactorValues, Subject};
use tend::store::Store;
use tend::tui::App;
use tend::tui::theme::Theme;
use tend::tui::views::grid::GridView;
use tend::tui::views::portfolio::PortfolioView;
use tui_input::Input;

#[allow(dead_code)]
mod common;

use common::{book_path, open_book, today};

fn benches(c: &mut Criterion) {
    let config = Config::default();
    let store = open_book(&config);

    let summaries = store.account_summaries(today()).unwrap();
    let inputs: Vec<(FactorValues, Subject)> =
        summaries.iter().map(|s| (s.values.unwrap_or_default(), s.subject())).collect();
    c.bench_function("score 100k accounts", |b| {
        b.iter(|| {
            let mut scored = 0usize;
            for (values, since) in &inputs {
                scored += usize::from(config.health.quick(values, since, today()).1.is_some());
            }
            scored
        })
    });

    c.bench_function("load portfolio 100k from sqlite", |b| {
        b.iter(|| book::load_portfolio_cached(&store, &config, today()).unwrap().len())
    });

    let rows = book::load_portfolio_cached(&store, &config, today()).unwrap();
    let view = PortfolioView::new(rows.clone());
    let theme = Theme { color: true };
    let area = Rect::new(0, 0, 120, 40);
    c.bench_function("render portfolio frame over 100k rows (120x40)", |b| {
        b.iter(|| {
            let mut buf = Buffer::empty(area);
            view.render(area, &mut buf, &theme, today(), &config.health.catalog);
            buf
        })
    });

    let mut filtered = PortfolioView::new(rows);
    c.bench_function("filter 100k rows by a 3-letter query", |b| {
        b.iter(|| {
            filtered.filter.input = Input::new("nim".into());
            filtered.refilter();
            filtered.in_view()
        })
    });

    let segments = config.segments.names();
    c.bench_function("build the grid from 100k rows", |b| {
        b.iter(|| tend::book::grid::build(view.rows(), &segments).grand.accounts)
    });
    let grid = GridView::new(tend::book::grid::build(view.rows(), &segments));
    c.bench_function("render the grid (120x40)", |b| {
        b.iter(|| {
            let mut buf = Buffer::empty(area);
            grid.render(area, &mut buf, &theme);
            buf
        })
    });

    // What a CSM waits for each morning: open the book on Triage and draw the first frame.
    // (Dropping the app afterwards is not part of opening it.)
    c.bench_function("open triage on 100k (App::new + first frame, 120x40)", |b| {
        b.iter_with_large_drop(|| {
            let app = App::new(Store::open(&book_path()).unwrap(), config.clone(), today(), theme).unwrap();
            let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 40)).unwrap();
            terminal.draw(|f| app.render(f)).unwrap();
            app
        })
    });

    let mut sorted = PortfolioView::new(book::load_portfolio_cached(&store, &config, today()).unwrap());
    c.bench_function("re-sort 100k rows (next column)", |b| b.iter(|| sorted.sort_step(1)));
}

criterion_group! {
    name = portfolio;
    config = Criterion::default().sample_size(20);
    targets = benches
}
criterion_main!(portfolio);
