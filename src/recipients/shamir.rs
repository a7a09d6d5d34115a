//! Shamir secret sharing over GF(2^8) with the AES polynomial, sops-compatible: a share
//! is the y-values followed by one x byte, with x = 1..n in group order.

use zeroize::Zeroizing;

fn mul(mut a: u8, mut b: u8) -> u8 {
    let mut p = 0u8;
    while b != 0 {
        if b & 1 != 0 {
            p ^= a;
        }
        let hi = a & 0x80;
        a <<= 1;
        if hi != 0 {
            a ^= 0x1b;
        }
        b >>= 1;
    }
    p
}

fn inv(a: u8) -> u8 {
    // a^254 = a^-1 in GF(2^8).
    let mut r = 1u8;
    let mut base = a;
    let mut e = 254u8;
    while e > 0 {
        if e & 1 != 0 {
            r = mul(r, base);
        }
        base = mul(base, base);
        e >>= 1;
    }
    r
}

/// Splits `secret` into `n` shares, any `k` of which recover it.
///
/// # Errors
/// When `k < 2`, `k > n`, `n > 255`, or the RNG fails.
pub fn split(
    secret: &[u8],
    n: usize,
    k: usize,
) -> Result<Vec<Zeroizing<Vec<u8>>>, super::RecipientError> {
    split_shares(secret, n, k).map_err(super::RecipientError::Wrap)
}

fn split_shares(secret: &[u8], n: usize, k: usize) -> Result<Vec<Zeroizing<Vec<u8>>>, String> {
    if k < 2 || k > n || n > 255 {
        return Err(format!(
            "invalid Shamir parameters: threshold {k} of {n} groups"
        ));
    }
    let mut shares: Vec<Zeroizing<Vec<u8>>> = (1..=n)
        .map(|_| Zeroizing::new(Vec::with_capacity(secret.len() + 1)))
        .collect();
    let mut coeffs = Zeroizing::new(vec![0u8; k - 1]);
    for &s in secret {
        getrandom::fill(&mut coeffs).map_err(|_| "random number generator failed".to_owned())?;
        for (i, share) in shares.iter_mut().enumerate() {
            let x = u8::try_from(i + 1).unwrap_or(u8::MAX);
            // Horner: s + c1 x + c2 x^2 ...
            let mut y = 0u8;
            for &c in coeffs.iter().rev() {
                y = mul(y, x) ^ c;
            }
            y = mul(y, x) ^ s;
            share.push(y);
        }
    }
    for (i, share) in shares.iter_mut().enumerate() {
        share.push(u8::try_from(i + 1).unwrap_or(u8::MAX));
    }
    Ok(shares)
}

/// Recombines shares (Lagrange interpolation at x = 0).
///
/// # Errors
/// Fewer than two shares, unequal lengths or duplicate x.
pub fn combine(shares: &[Zeroizing<Vec<u8>>]) -> Result<Zeroizing<Vec<u8>>, super::RecipientError> {
    combine_shares(shares).map_err(super::RecipientError::Invalid)
}

fn combine_shares(shares: &[Zeroizing<Vec<u8>>]) -> Result<Zeroizing<Vec<u8>>, String> {
    if shares.len() < 2 {
        return Err("need at least two shares".to_owned());
    }
    let len = shares[0].len();
    if len < 2 || shares.iter().any(|s| s.len() != len) {
        return Err("Shamir shares have different lengths".to_owned());
    }
    let xs: Vec<u8> = shares.iter().map(|s| s[len - 1]).collect();
    for (i, x) in xs.iter().enumerate() {
        if *x == 0 || xs[..i].contains(x) {
            return Err("duplicate or zero Shamir share coordinate".to_owned());
        }
    }
    let mut out = Zeroizing::new(vec![0u8; len - 1]);
    for (b, slot) in out.iter_mut().enumerate() {
        let mut acc = 0u8;
        for (i, si) in shares.iter().enumerate() {
            let mut num = 1u8;
            let mut den = 1u8;
            for (j, xj) in xs.iter().enumerate() {
                if i != j {
                    num = mul(num, *xj);
                    den = mul(den, xs[i] ^ xj);
                }
            }
            acc ^= mul(si[b], mul(num, inv(den)));
        }
        *slot = acc;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_combine_any_two_of_three() {
        let secret = [7u8; 32];
        let shares = split(&secret, 3, 2).unwrap();
        for (a, b) in [(0, 1), (0, 2), (1, 2)] {
            let got = combine(&[shares[a].clone(), shares[b].clone()]).unwrap();
            assert_eq!(got.as_slice(), &secret);
        }
    }
}
