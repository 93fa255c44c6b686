fn main() {
    let path = std::env::args().nth(1);
    let text = match path {
        Some(p) => std::fs::read_to_string(p).unwrap(),
        None => newsbot::core::edition::SAMPLE_EDITION.to_owned(),
    };
    let e = newsbot::core::edition::parse_edition(&text).unwrap();
    print!("{}", newsbot::core::edition::describe_edition(&e));
}
