//! `newsbot demo`, the README's first command: the real binary in an empty folder with no
//! token and no settings plays its day, and the transcript shows each step in order.

use std::process::{Command, Stdio};

/// Checks that `needles` appear in `text` in this order, each after the one before.
fn in_order(text: &str, needles: &[&str]) {
    let mut from = 0;
    for n in needles {
        let at = text[from..]
            .find(n)
            .unwrap_or_else(|| panic!("the transcript lacks {n:?} after byte {from}:\n{text}"));
        from += at + n.len();
    }
}

#[test]
fn the_demo_plays_a_whole_day_offline_and_tells_it_in_order() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = Command::new(env!("CARGO_BIN_EXE_newsbot"))
        .arg("demo")
        .current_dir(dir.path())
        .env_clear()
        .stdin(Stdio::null())
        .output()
        .expect("run newsbot demo");
    let transcript = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{transcript}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    in_order(
        &transcript,
        &[
            "06:30  李华 → /start",
            "bot → 李华: 欢迎订阅",
            "bot → 李华: 本机器人有多个版，请选择",
            "buttons: [青溪日报] [青溪日报·东塘版]",
            "李华 presses [青溪日报·东塘版]",
            "您现在关注：青溪日报·东塘版",
            "李华 → 每天早上八点发给我",
            "bot → 李华: 改为每天 08:00 送达？",
            "李华 presses [✅ 确认]",
            "送达时间：08:00（Asia/Shanghai）",
            "bot → 李华: 不再接收“图片新闻”？",
            "张阿姨 adds the bot to 青溪街坊群",
            "张阿姨 (in 青溪街坊群) → /start",
            "张阿姨 (in 青溪街坊群) presses [青溪日报]",
            "您现在关注：青溪日报",
            "07:00  ⏰",
            "bot → 青溪街坊群: 青溪版 QINGXI DAILY",
            "08:00  ⏰",
            "bot → 李华: 东塘版 QINGXI DAILY · DONGTANG",
            "李华 → 明天会下雨吗",
            "bot → 李华: 明天阴转多云。",
            "李华 → /search 大桥",
            "东塘大桥主桥合龙",
            "王编辑 → /breaking",
            "将发送给 2（青溪日报、青溪日报·东塘版）",
            "[◉ 全部] [○ 青溪日报] [○ 青溪日报·东塘版]",
            "王编辑 presses [✅ 确认发送]",
            "bot → 李华: 🔴 突发消息",
            "bot → 青溪街坊群: 🔴 突发消息",
            "突发消息 #1 已发送：送达 2，已屏蔽 0，失败 0",
            "demo: 2 chats subscribed, morning digest delivered to 2 of 2, breaking notice reached 2 of 2,",
        ],
    );
    assert!(transcript.contains(" 0 refused calls"), "{transcript}");
    // The group's digest came at 07:00 and the resident's only at the 08:00 they chose.
    let resident_digest = transcript
        .find("bot → 李华: 东塘版 QINGXI DAILY")
        .unwrap_or(0);
    let eight = transcript.find("08:00  ⏰").unwrap_or(usize::MAX);
    assert!(resident_digest > eight, "{transcript}");
    assert_eq!(
        std::fs::read_dir(dir.path()).expect("dir").count(),
        0,
        "the demo leaves nothing behind in the folder it runs in"
    );
}
